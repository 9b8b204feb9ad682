/**
 * The object store of a clone made from the mirror on the same disk: every pack and loose object
 * hardlinked (copied where the two are on different filesystems), as `git clone --local` does, so
 * the clone is self-contained (no `alternates` file pointing back at the runner's cache) without
 * copying bytes.
 */
import { copyFile, link, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";

/** Files git writes while it works (`tmp_obj_*`, `tmp_pack_*`, quarantine dirs) are not objects yet. */
const UNFINISHED = /^(tmp_|incoming-)/;

export async function linkObjects(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (UNFINISHED.test(entry.name) || entry.name === "alternates") continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await linkObjects(source, target);
    else if (entry.isFile())
      await link(source, target).catch(async (error: NodeJS.ErrnoException) => {
        if (!["EXDEV", "EPERM", "EMLINK"].includes(error.code ?? "")) throw error;
        await copyFile(source, target);
      });
  }
}

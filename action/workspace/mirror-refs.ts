/**
 * Refs of a local repository read and written as files, with no git process: a warm clone is a
 * handful of small steps, and on this kind of machine every process git starts costs several
 * milliseconds. The formats are git's own (gitrepository-layout(5)): a loose ref is a file holding
 * the object name; `packed-refs` holds `<object name> <ref>` lines, each optionally followed by a
 * `^<peeled object>` line for annotated tags.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const OBJECT_NAME = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

async function packedRefs(gitDir: string): Promise<Map<string, string>> {
  const text = await readFile(join(gitDir, "packed-refs"), "utf8").catch(() => "");
  const refs = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.startsWith("^")) continue;
    const [name, ref] = line.split(" ");
    if (name && ref && OBJECT_NAME.test(name)) refs.set(ref, name);
  }
  return refs;
}

/** The object each ref names (a loose ref wins over its packed copy); refs that do not exist are absent. */
export async function readRefs(gitDir: string, refs: string[]): Promise<Map<string, string>> {
  const packed = await packedRefs(gitDir);
  const found = new Map<string, string>();
  for (const ref of refs) {
    // Ref names come from GitHub; git refuses these forms anyway, and they must never leave gitDir.
    if (!ref.startsWith("refs/") || ref.includes("..") || ref.includes("\0")) {
      throw new Error(`${JSON.stringify(ref)} is not a ref name`);
    }
    const loose = (await readFile(join(gitDir, ref), "utf8").catch(() => "")).trim();
    const name = OBJECT_NAME.test(loose) ? loose : packed.get(ref);
    if (name) found.set(ref, name);
  }
  return found;
}

/** A new repository's refs in one `packed-refs` file (the repository must have none yet). */
export async function writePackedRefs(gitDir: string, refs: Map<string, string>): Promise<void> {
  const lines = [...refs]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ref, name]) => `${name} ${ref}`);
  await writeFile(join(gitDir, "packed-refs"), `# pack-refs with: sorted \n${lines.join("\n")}\n`);
}

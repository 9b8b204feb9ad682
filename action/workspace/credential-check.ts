import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";

/** Files in `.git` that could carry a credential; object packs are content the remote already had. */
const GIT_METADATA = ["config", "FETCH_HEAD", "packed-refs", "objects/info/alternates", "credentials"];

/**
 * Last check before a tree is seeded into the sandbox: no alternates pointing at the runner's
 * cache, no auth header in git config, and none of the run's secrets in git metadata.
 */
export async function assertSeedable(dir: string, secrets: string[]): Promise<void> {
  const problems: string[] = [];
  const alternates = await readFile(join(dir, ".git/objects/info/alternates"), "utf8").catch(() => "");
  if (alternates.trim() !== "") problems.push(".git/objects/info/alternates points outside the tree");
  for (const name of GIT_METADATA) {
    const text = await readFile(join(dir, ".git", name), "utf8").catch(() => "");
    if (/extraheader|authorization:/i.test(text)) problems.push(`.git/${name} holds an HTTP auth header`);
    if (secrets.some((s) => s.length >= 8 && text.includes(s))) problems.push(`.git/${name} holds a secret`);
  }
  const urls = await readFile(join(dir, ".git/config"), "utf8").catch(() => "");
  if (/url\s*=\s*\w+:\/\/[^/\s]*@/.test(urls)) problems.push(".git/config has a remote URL with user info");
  if (problems.length > 0) {
    throw new Error(
      `refusing to seed the sandbox with ${dir}: ${problems.join("; ")}. Delete the runner's cache directory and rerun.`,
    );
  }
}

/** Every regular file under `dir` whose bytes contain `needle` (for tests and audits). */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && (await stat(path)).size < 64 * 1024 * 1024) {
        if ((await readFile(path)).includes(needle)) hits.push(relative(dir, path));
      }
    }
  };
  await walk(dir);
  return hits;
}

import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { Octokit } from "@octokit/rest";

/** The folders whose code talks to GitHub (the App, the action and the shared contract). */
const SOURCE_DIRS = ["app", "action", "core"];
const SKIP = new Set(["dist", "node_modules"]);

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : sourceFiles(path);
      return entry.name.endsWith(".ts") ? [path] : [];
    }),
  );
  return nested.flat();
}

/** `octokit.rest.<scope>.<method>` → `METHOD /path`, from Octokit's own endpoint list. */
function restMethodRoutes(): Map<string, string> {
  const rest = new Octokit().rest as unknown as Record<
    string,
    Record<string, { endpoint?: { DEFAULTS?: { method: string; url: string } } }>
  >;
  const routes = new Map<string, string>();
  for (const [scope, methods] of Object.entries(rest)) {
    for (const [name, method] of Object.entries(methods)) {
      const defaults = method.endpoint?.DEFAULTS;
      if (defaults) routes.set(`${scope}.${name}`, `${defaults.method} ${defaults.url}`);
    }
  }
  return routes;
}

export interface CalledOperation {
  /** `POST /repos/{owner}/{repo}/issues` */
  route: string;
  /** Where the code calls it, `action/publish/review.ts`. */
  files: string[];
}

/**
 * Every REST operation the project's code calls: `*.rest.<scope>.<method>` (directly or through
 * `paginate`) and `*.request("METHOD /path", ...)`, found by reading the sources under `root`.
 */
export async function calledOperations(root: string): Promise<CalledOperation[]> {
  const byMethod = restMethodRoutes();
  const found = new Map<string, Set<string>>();
  const note = (route: string, file: string) => {
    if (!found.has(route)) found.set(route, new Set());
    found.get(route)!.add(relative(root, file));
  };
  for (const file of (await Promise.all(SOURCE_DIRS.map((dir) => sourceFiles(join(root, dir))))).flat()) {
    const text = await readFile(file, "utf8");
    for (const match of text.matchAll(/\.rest\.(\w+)\.(\w+)\b/g)) {
      const route = byMethod.get(`${match[1]}.${match[2]}`);
      if (!route)
        throw new Error(
          `${relative(root, file)} calls rest.${match[1]}.${match[2]}, which Octokit does not have`,
        );
      note(route, file);
    }
    for (const match of text.matchAll(/\.request\(\s*["'`]([A-Z]+ \/[^"'`]*)["'`]/g)) note(match[1]!, file);
  }
  return [...found]
    .map(([route, files]) => ({ route, files: [...files].sort() }))
    .sort((a, b) => a.route.localeCompare(b.route));
}

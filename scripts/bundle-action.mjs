// Bundles the action's entry points into action/dist/ (committed; CI fails when it is stale):
// main.js and post.js for action.yml, cli.js for the `inhouse` bin. ESM for Node 20+, with a
// `require`/`__dirname` shim because some dependencies (dockerode, ssh2) are CommonJS.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "action/dist");

const entryPoints = { main: "action/main.ts", post: "action/post.ts" };
if (existsSync(join(root, "action/cli/main.ts"))) entryPoints.cli = "action/cli/main.ts";

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints,
  outdir,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // One file per entry point: chunk files would make the committed dist harder to check for staleness.
  splitting: false,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  banner: {
    js: [
      "import { createRequire as __inhouseCreateRequire } from 'node:module';",
      "import { fileURLToPath as __inhouseFileURLToPath } from 'node:url';",
      "import { dirname as __inhouseDirname } from 'node:path';",
      "const require = __inhouseCreateRequire(import.meta.url);",
      "const __filename = __inhouseFileURLToPath(import.meta.url);",
      "const __dirname = __inhouseDirname(__filename);",
    ].join("\n"),
  },
  // ssh2 (via dockerode) loads optional native helpers in a try/catch; they are never needed for a
  // local Docker socket, and bundling a .node file cannot work. PGlite (the CLI's embedded run
  // history, `inhouse eval`) finds its .wasm and .data files next to its own module: bundled, it
  // would look in action/dist/. The `inhouse` bin loads it from the installed dependencies.
  external: ["cpu-features", "*.node", "@electric-sql/pglite"],
});

for (const [file, info] of Object.entries(result.metafile.outputs)) {
  console.log(`${file}  ${(info.bytes / 1024).toFixed(0)} KiB`);
}

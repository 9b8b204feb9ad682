// The generated repository the workspace bench clones: about 5,000 files of 4 KB and 200 commits,
// built once with git fast-import and kept in the temp dir, plus the commits a remote gains between
// two tasks.
import { spawn } from "node:child_process";
import { mkdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git } from "../action/workspace/git.ts";

export const FILES = 5_000;
export const COMMITS = 200;
/** Lines per generated file: about 4 KB, near the median size of a source file in real repositories. */
const LINES = 100;

/** Deterministic pseudo-random text, so packs compress like source code rather than like zeros. */
function* words(seed: number): Generator<string> {
  const vocabulary = [
    "const",
    "let",
    "return",
    "function",
    "if",
    "else",
    "for",
    "import",
    "export",
    "value",
    "count",
    "result",
    "error",
    "string",
    "number",
    "await",
    "async",
    "=>",
    "{",
    "}",
    "(",
    ")",
    ";",
    "items",
    "index",
    "options",
  ];
  let x = seed || 1;
  for (;;) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield vocabulary[Math.abs(x) % vocabulary.length]!;
  }
}

function fileText(file: number, version: number): string {
  const gen = words(file * 7919 + version * 104729);
  const lines: string[] = [`// file ${file} version ${version}`];
  for (let line = 0; line < LINES; line++) {
    const parts: string[] = [];
    for (let w = 0; w < 8; w++) parts.push(gen.next().value as string);
    lines.push(parts.join(" "));
  }
  return `${lines.join("\n")}\n`;
}

const pathOf = (file: number) => `src/module${Math.floor(file / 100)}/file${file}.ts`;

/** A git fast-import stream: one commit with every file, then small commits touching 10 files each. */
function fastImportStream(commits: number, startVersion: number, parent: string | undefined): string {
  const out: string[] = [];
  let time = 1_700_000_000 + startVersion * 3600;
  for (let c = 0; c < commits; c++) {
    const version = startVersion + c;
    const touched =
      version === 0
        ? Array.from({ length: FILES }, (_, i) => i)
        : Array.from({ length: 10 }, (_, i) => (version * 37 + i * 499) % FILES);
    const message = `commit ${version}\n`;
    out.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${time++} +0000\ndata ${Buffer.byteLength(message)}\n${message}`,
    );
    if (c === 0 && parent) out.push(`from ${parent}\n`);
    for (const file of touched) {
      const text = fileText(file, version);
      out.push(`M 100644 inline ${pathOf(file)}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
    }
  }
  return out.join("");
}

function runGit(args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`git ${args.join(" ")}: ${err}`)),
    );
    child.stdin.end(input);
  });
}

/** Generated once and kept in the temp dir: about 5,000 files and 200 commits. */
export async function generatedOrigin(): Promise<string> {
  const root = join(tmpdir(), "inhouse-bench-workspace", `origin-${FILES}-${COMMITS}-${LINES}`);
  const bare = join(root, "repo.git");
  try {
    await stat(join(bare, "refs/heads/main"));
    return bare;
  } catch {}
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await git(["init", "-q", "--bare", "-b", "main", bare]);
  await runGit(["-C", bare, "fast-import", "--quiet"], fastImportStream(COMMITS, 0, undefined));
  await git(["-C", bare, "repack", "-adq"]);
  await git(["-C", bare, "pack-refs", "--all"]);
  return bare;
}

/** The day's work on the remote between two tasks: a few new commits. */
export async function addCommits(bare: string, count: number, startVersion: number): Promise<void> {
  const tip = (await git(["-C", bare, "rev-parse", "main"])).stdout.trim();
  await runGit(["-C", bare, "fast-import", "--quiet"], fastImportStream(count, startVersion, tip));
}

// Workspace: a task's clone from a warm per-repository mirror vs a cold clone, over smart HTTP on
// loopback (git http-backend) so the bytes moved are the bytes a real remote would send.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noAuth } from "../action/workspace/auth-header.ts";
import { checkoutWorkspace, fetchWorkspace } from "../action/workspace/clone.ts";
import { git } from "../action/workspace/git.ts";
import { updateMirror, withMirror } from "../action/workspace/mirror.ts";
import { type GitHttpServer, startGitHttpServer } from "../test/action/workspace/git-http-server.ts";
import { round, timeMs } from "./stats.ts";
import type { BenchArea, BenchOutcome } from "./types.ts";

const FILES = 5_000;
const COMMITS = 200;
/** Lines per generated file: about 4 KB, near the median size of a source file in real repositories. */
const LINES = 100;
const RUNS = 3;

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
async function generatedOrigin(): Promise<string> {
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
async function addCommits(bare: string, count: number, startVersion: number): Promise<void> {
  const tip = (await git(["-C", bare, "rev-parse", "main"])).stdout.trim();
  await runGit(["-C", bare, "fast-import", "--quiet"], fastImportStream(count, startVersion, tip));
}

interface Samples {
  coldFetchMs: number[];
  coldTotalMs: number[];
  coldBytes: number[];
  warmFetchMs: number[];
  warmTotalMs: number[];
  warmBytes: number[];
  dissociateMs: number[];
}

interface Served {
  bare: string;
  remoteUrl: string;
  scratch: string;
  cacheDir: string;
  server: GitHttpServer;
  version: number;
}

/** RUNS rounds of: the remote gains 5 commits, then a cold clone, a warm clone, a --dissociate clone. */
async function measure(served: Served, bytesPerSecond: number): Promise<Samples> {
  const { bare, remoteUrl, scratch, cacheDir, server } = served;
  server.bytesPerSecond = bytesPerSecond;
  const samples: Samples = {
    coldFetchMs: [],
    coldTotalMs: [],
    coldBytes: [],
    warmFetchMs: [],
    warmTotalMs: [],
    warmBytes: [],
    dissociateMs: [],
  };
  for (let run = 0; run < RUNS; run++) {
    await addCommits(bare, 5, served.version);
    served.version += 5;

    // Naive: a fresh clone from the remote (objects and refs), then the checkout.
    const coldDir = join(scratch, `cold-${run}`);
    server.reset();
    const coldFetch = await timeMs(() =>
      git(["clone", "-q", "--no-checkout", "--single-branch", "--branch", "main", remoteUrl, coldDir]),
    );
    samples.coldBytes.push(server.bytesSent);
    const coldCheckout = await timeMs(() =>
      git(["-C", coldDir, "checkout", "-q", "-B", "agent/bench", "origin/main", "--"], {
        config: ["checkout.workers=0"],
      }),
    );
    samples.coldFetchMs.push(coldFetch);
    samples.coldTotalMs.push(coldFetch + coldCheckout);

    // inhouse: one fetch into the warm mirror, a local clone from it, then the checkout.
    const warmDir = join(scratch, `warm-${run}`);
    const clone = { remoteUrl, dir: warmDir, branch: "main", localBranch: "agent/bench" };
    server.reset();
    const warmFetch = await timeMs(() =>
      withMirror({ cacheDir, owner: "bench", name: "repo", remoteUrl, auth: noAuth }, (mirror) =>
        fetchWorkspace({ ...clone, mirror }),
      ),
    );
    samples.warmBytes.push(server.bytesSent);
    const warmCheckout = await timeMs(() => checkoutWorkspace(clone));
    samples.warmFetchMs.push(warmFetch);
    samples.warmTotalMs.push(warmFetch + warmCheckout);

    // The other way to a self-contained tree: borrow objects with --reference, then copy them in
    // with --dissociate (a full local repack). Same bytes on the wire, more CPU.
    const altDir = join(scratch, `alt-${run}`);
    const mirror = join(cacheDir, "mirrors", "bench", "repo.git");
    const args = ["clone", "-q", "--no-checkout", "--single-branch", "--branch", "main"];
    samples.dissociateMs.push(
      await timeMs(() => git([...args, "--reference", mirror, "--dissociate", remoteUrl, altDir])),
    );
    await Promise.all([coldDir, warmDir, altDir].map((d) => rm(d, { recursive: true, force: true })));
  }
  return samples;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${round(x, 0)} ms`;
const MBIT_100 = 100_000_000 / 8;

async function main(): Promise<BenchOutcome> {
  const template = await generatedOrigin();
  const scratch = await mkdtemp(join(tmpdir(), "inhouse-bench-ws-"));
  // A fresh copy of the generated origin per bench run, so added commits do not accumulate.
  await mkdir(join(scratch, "served"));
  const bare = join(scratch, "served", "repo.git");
  await git(["clone", "-q", "--bare", "--no-local", template, bare]);
  const server = await startGitHttpServer(join(scratch, "served"));
  const served: Served = {
    bare,
    remoteUrl: `${server.url}/repo.git`,
    scratch,
    cacheDir: join(scratch, "cache"),
    server,
    version: COMMITS,
  };
  let loopback: Samples;
  let link: Samples;
  try {
    await updateMirror({
      cacheDir: served.cacheDir,
      owner: "bench",
      name: "repo",
      remoteUrl: served.remoteUrl,
      auth: noAuth,
    });
    loopback = await measure(served, 0);
    link = await measure(served, MBIT_100);
  } finally {
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  }
  const speedup = (s: Samples) => median(s.coldFetchMs) / median(s.warmFetchMs);
  const bytesRatio = median(loopback.coldBytes) / Math.max(1, median(loopback.warmBytes));
  const rows: BenchOutcome["rows"] = [
    {
      measure: "bytes moved over HTTP per clone",
      ours: `${median(loopback.warmBytes)} B`,
      naive: `${median(loopback.coldBytes)} B`,
      ratio: `${round(bytesRatio, 0)}x`,
      goal: ">= 20x",
    },
  ];
  for (const [name, s] of [
    ["loopback", loopback],
    ["100 Mbit/s link", link],
  ] as const) {
    rows.push(
      {
        measure: `${name}: clone ${FILES} files / ${COMMITS} commits, objects + refs (median of ${RUNS})`,
        ours: ms(median(s.warmFetchMs)),
        naive: ms(median(s.coldFetchMs)),
        ratio: `${round(speedup(s), 1)}x`,
        goal: ">= 3x",
      },
      {
        measure: `${name}: same, including the checkout of every file`,
        ours: ms(median(s.warmTotalMs)),
        naive: ms(median(s.coldTotalMs)),
        ratio: `${round(median(s.coldTotalMs) / median(s.warmTotalMs), 1)}x`,
      },
      {
        measure: `${name}: self-contained warm clone vs --reference --dissociate`,
        ours: ms(median(s.warmFetchMs)),
        naive: ms(median(s.dissociateMs)),
        ratio: `${round(median(s.dissociateMs) / median(s.warmFetchMs), 1)}x`,
      },
    );
  }
  return {
    rows,
    metrics: {
      "workspace.mirror_bytes_ratio": round(bytesRatio, 1),
      "workspace.mirror_speedup": round(speedup(loopback), 2),
      "workspace.mirror_speedup_100mbit": round(speedup(link), 2),
      "workspace.mirror_speedup_with_checkout": round(
        median(loopback.coldTotalMs) / median(loopback.warmTotalMs),
        2,
      ),
      "workspace.cold_clone_ms": round(median(loopback.coldFetchMs), 0),
      "workspace.warm_clone_ms": round(median(loopback.warmFetchMs), 0),
    },
  };
}

const area: BenchArea = {
  name: "workspace",
  async run() {
    return main();
  },
};

export default area;

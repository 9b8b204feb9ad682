// Workspace: a task's clone from a warm per-repository mirror vs a cold clone, from the local GitHub's
// smart HTTP on loopback (git http-backend, token in a header) so the bytes moved are the bytes a
// real remote would send; then the
// warm path's own parts side by side with what they replaced: the local clone (links and refs
// written directly vs `git clone --local` + `remote set-url`) and the fetch that finds nothing
// (skipped when the mirror was fetched after the task was asked for).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GitAuth, gitAuth } from "../action/workspace/auth-header.ts";
import { checkoutWorkspace, fetchWorkspace } from "../action/workspace/clone.ts";
import { git } from "../action/workspace/git.ts";
import { type MirrorOptions, mirrorPath, updateMirror, withMirror } from "../action/workspace/mirror.ts";
import { LocalGitHub } from "../test/e2e/local-github/local-github.ts";
import { percentile, round, timeMs } from "./stats.ts";
import type { BenchArea, BenchOutcome, BenchRow } from "./types.ts";
import { addCommits, COMMITS, FILES, generatedOrigin } from "./workspace-origin.ts";

const RUNS = 5;

interface Samples {
  coldFetchMs: number[];
  coldTotalMs: number[];
  coldBytes: number[];
  warmFetchMs: number[];
  warmTotalMs: number[];
  warmBytes: number[];
  dissociateMs: number[];
  localCloneMs: number[];
  gitLocalCloneMs: number[];
  noopFetchMs: number[];
  freshSkipMs: number[];
}

interface Served {
  bare: string;
  remoteUrl: string;
  scratch: string;
  cacheDir: string;
  github: LocalGitHub;
  auth: GitAuth;
  version: number;
}

const emptySamples = (): Samples => ({
  coldFetchMs: [],
  coldTotalMs: [],
  coldBytes: [],
  warmFetchMs: [],
  warmTotalMs: [],
  warmBytes: [],
  dissociateMs: [],
  localCloneMs: [],
  gitLocalCloneMs: [],
  noopFetchMs: [],
  freshSkipMs: [],
});

/** The mirror's part alone, nothing fetched: what this code does vs `git clone --local` + set-url. */
async function measureLocalClone(served: Served, samples: Samples, run: number): Promise<void> {
  const mirror = mirrorPath(served.cacheDir, "bench", "repo");
  const ours = join(served.scratch, `local-${run}`);
  const theirs = join(served.scratch, `git-local-${run}`);
  samples.localCloneMs.push(
    await timeMs(() =>
      fetchWorkspace({ mirror, remoteUrl: served.remoteUrl, dir: ours, branch: "main", localBranch: "x" }),
    ),
  );
  const clone = ["clone", "-q", "--no-checkout", "--single-branch", "--no-tags", "--branch", "main"];
  samples.gitLocalCloneMs.push(
    await timeMs(async () => {
      await git([...clone, "--", mirror, theirs]);
      await git(["-C", theirs, "remote", "set-url", "origin", served.remoteUrl]);
    }),
  );
}

/** A second task right after the first: its fetch finds nothing, or is skipped when it may be. */
async function measureNoopFetch(served: Served, samples: Samples): Promise<void> {
  const options: MirrorOptions = {
    cacheDir: served.cacheDir,
    owner: "bench",
    name: "repo",
    remoteUrl: served.remoteUrl,
    auth: served.auth,
  };
  samples.noopFetchMs.push(await timeMs(() => withMirror(options, async () => undefined)));
  const freshness = { since: new Date(Date.now() - 60_000), refs: ["refs/heads/main"] };
  samples.freshSkipMs.push(await timeMs(() => withMirror({ ...options, freshness }, async () => undefined)));
}

/** RUNS rounds of: the remote gains 5 commits, then a cold clone, a warm clone, a --dissociate clone. */
async function measure(served: Served, bytesPerSecond: number): Promise<Samples> {
  const { bare, remoteUrl, scratch, cacheDir, auth } = served;
  const server = served.github.gitTraffic;
  server.bytesPerSecond = bytesPerSecond;
  const samples = emptySamples();
  for (let run = 0; run < RUNS; run++) {
    await addCommits(bare, 5, served.version);
    served.version += 5;

    // Naive: a fresh clone from the remote (objects and refs), then the checkout.
    const coldDir = join(scratch, `cold-${run}`);
    server.reset();
    const coldFetch = await timeMs(() =>
      git(["clone", "-q", "--no-checkout", "--single-branch", "--branch", "main", remoteUrl, coldDir], {
        config: auth.config,
      }),
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
      withMirror({ cacheDir, owner: "bench", name: "repo", remoteUrl, auth }, (mirror) =>
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
    const mirror = mirrorPath(cacheDir, "bench", "repo");
    const args = ["clone", "-q", "--no-checkout", "--single-branch", "--branch", "main"];
    samples.dissociateMs.push(
      await timeMs(() =>
        git([...args, "--reference", mirror, "--dissociate", remoteUrl, altDir], { config: auth.config }),
      ),
    );
    await measureLocalClone(served, samples, run);
    await measureNoopFetch(served, samples);
    const dirs = ["cold", "warm", "alt", "local", "git-local"].map((name) => join(scratch, `${name}-${run}`));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
  return samples;
}

const ms = (x: number) => `${round(x, 0)} ms`;
const p50 = (xs: number[]) => percentile(xs, 50);
const p99 = (xs: number[]) => percentile(xs, 99);
const both = (xs: number[]) => `${ms(p50(xs))} (p99 ${ms(p99(xs))})`;
const ratio = (naive: number[], ours: number[]) => round(p50(naive) / p50(ours), 2);
const MBIT_100 = 100_000_000 / 8;

async function serve(): Promise<Served> {
  const template = await generatedOrigin();
  const scratch = await mkdtemp(join(tmpdir(), "inhouse-bench-ws-"));
  // A fresh copy of the generated origin per bench run, so added commits do not accumulate.
  const github = await LocalGitHub.start({ owner: "bench" });
  const bare = (await github.createRepo("repo", {})).gitDir;
  await git(["-C", template, "push", "-q", "--force", "--mirror", bare]);
  return {
    bare,
    remoteUrl: `${github.url}/bench/repo.git`,
    scratch,
    cacheDir: join(scratch, "cache"),
    github,
    auth: gitAuth(github.installationToken(), github.url),
    version: COMMITS,
  };
}

function linkRows(name: string, s: Samples): BenchRow[] {
  return [
    {
      measure: `${name}: clone ${FILES} files / ${COMMITS} commits, objects + refs (p50 of ${RUNS})`,
      ours: both(s.warmFetchMs),
      naive: both(s.coldFetchMs),
      ratio: `${ratio(s.coldFetchMs, s.warmFetchMs)}x (p99 ${round(p99(s.coldFetchMs) / p99(s.warmFetchMs), 1)}x)`,
      goal: ">= 3x",
    },
    {
      measure: `${name}: same, including the checkout of every file`,
      ours: both(s.warmTotalMs),
      naive: both(s.coldTotalMs),
      ratio: `${ratio(s.coldTotalMs, s.warmTotalMs)}x`,
    },
    {
      measure: `${name}: self-contained warm clone vs --reference --dissociate`,
      ours: both(s.warmFetchMs),
      naive: both(s.dissociateMs),
      ratio: `${ratio(s.dissociateMs, s.warmFetchMs)}x`,
    },
  ];
}

async function main(): Promise<BenchOutcome> {
  const served = await serve();
  let loopback: Samples;
  let link: Samples;
  try {
    await updateMirror({
      cacheDir: served.cacheDir,
      owner: "bench",
      name: "repo",
      remoteUrl: served.remoteUrl,
      auth: served.auth,
    });
    loopback = await measure(served, 0);
    link = await measure(served, MBIT_100);
  } finally {
    await served.github.close();
    await rm(served.scratch, { recursive: true, force: true });
  }
  const bytesRatio = p50(loopback.coldBytes) / Math.max(1, p50(loopback.warmBytes));
  const rows: BenchRow[] = [
    {
      measure: "bytes moved over HTTP per clone",
      ours: `${p50(loopback.warmBytes)} B`,
      naive: `${p50(loopback.coldBytes)} B`,
      ratio: `${round(bytesRatio, 0)}x`,
      goal: ">= 20x",
    },
    ...linkRows("loopback", loopback),
    ...linkRows("100 Mbit/s link", link),
    {
      measure: "warm path, the local clone: links + refs written vs `git clone --local` + `remote set-url`",
      ours: both(loopback.localCloneMs),
      naive: both(loopback.gitLocalCloneMs),
      ratio: `${ratio(loopback.gitLocalCloneMs, loopback.localCloneMs)}x`,
    },
    {
      measure:
        "warm path, nothing new: mirror fetched after the request (skipped) vs a fetch finding nothing",
      ours: both(loopback.freshSkipMs),
      naive: both(loopback.noopFetchMs),
      ratio: `${ratio(loopback.noopFetchMs, loopback.freshSkipMs)}x`,
    },
  ];
  return {
    rows,
    metrics: {
      "workspace.mirror_bytes_ratio": round(bytesRatio, 1),
      "workspace.mirror_speedup": ratio(loopback.coldFetchMs, loopback.warmFetchMs),
      "workspace.mirror_speedup_p99": round(p99(loopback.coldFetchMs) / p99(loopback.warmFetchMs), 2),
      "workspace.mirror_speedup_100mbit": ratio(link.coldFetchMs, link.warmFetchMs),
      "workspace.mirror_speedup_with_checkout": ratio(loopback.coldTotalMs, loopback.warmTotalMs),
      "workspace.cold_clone_ms": round(p50(loopback.coldFetchMs), 0),
      "workspace.warm_clone_ms": round(p50(loopback.warmFetchMs), 0),
      "workspace.warm_clone_p99_ms": round(p99(loopback.warmFetchMs), 0),
      "workspace.local_clone_ms": round(p50(loopback.localCloneMs), 1),
      "workspace.git_local_clone_ms": round(p50(loopback.gitLocalCloneMs), 1),
      "workspace.noop_fetch_ms": round(p50(loopback.noopFetchMs), 1),
      "workspace.fresh_mirror_ms": round(p50(loopback.freshSkipMs), 1),
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

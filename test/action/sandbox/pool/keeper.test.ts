/**
 * The keeper rule against real process trees: processes whose command names are those of the
 * GitHub Actions runner (a symlink's name becomes the command name), and a new session.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const KEEPER_MODULE = join(import.meta.dirname, "../../../../action/sandbox/pool/keeper.ts");
const TSX = join(import.meta.dirname, "../../../../node_modules/.bin/tsx");

/** A tsx one-liner printing `<own pid> <parent pid> <runner keeper> <session keeper>`. */
const probe = `import("${KEEPER_MODULE}").then((k) => console.log(process.pid, process.ppid, k.runnerKeeperPid(), k.sessionKeeperPid()))`;

describe("warm pool keeper", () => {
  let bin: string;
  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), "keeper-test-"));
    for (const name of ["Runner.Listener", "Runner.Worker"]) await symlink("/bin/sh", join(bin, name));
  });
  afterAll(() => rm(bin, { recursive: true, force: true }));

  it("is the runner service for a step under a job worker, not the worker that ends with the job", async () => {
    // Runner.Listener (prints its pid) → Runner.Worker → the step's node process.
    const listener = join(bin, "Runner.Listener");
    const worker = join(bin, "Runner.Worker");
    const script = `echo $$; "${worker}" -c '"${TSX}" -e '"'"'${probe}'"'"''`;
    const { stdout } = await run(listener, ["-c", script]);
    const [listenerPid, line] = stdout.trim().split("\n");
    const [, parent, runnerKeeper] = line!.split(" ").map(Number);
    expect(runnerKeeper).toBe(Number(listenerPid));
    expect(runnerKeeper).not.toBe(parent);
  });

  it("is the parent when no runner service is above (a test runner starting steps itself)", async () => {
    const { stdout } = await run(TSX, ["-e", probe]);
    const [, parent, runnerKeeper] = stdout.trim().split(" ").map(Number);
    expect(runnerKeeper).toBe(parent);
  });

  it("is the session leader for the CLI, which outlives each run", async () => {
    // setsid makes the shell a session leader; the CLI process below it reports that shell.
    const { stdout } = await run("setsid", ["sh", "-c", `echo $$; "${TSX}" -e '${probe}'`]);
    const [leader, line] = stdout.trim().split("\n");
    const [, , , sessionKeeper] = line!.split(" ").map(Number);
    expect(sessionKeeper).toBe(Number(leader));
  });
});

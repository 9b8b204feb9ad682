/**
 * The warm pool against the real engine: one member per task and never two tasks per member,
 * nothing of one task in the next, rebuilt images replaced, and a killed keeper's or task's part
 * of the pool removed by the next start. Each test keeps its pool under its own keeper (a live
 * `sleep` process), so tests and other suites never share members.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DockerSandbox } from "../../../../action/sandbox/docker-sandbox.ts";
import { parseSandboxOptions } from "../../../../action/sandbox/options.ts";
import { ownerOf } from "../../../../action/sandbox/owner-process.ts";
import { removeLeftoverSandboxes } from "../../../../action/sandbox/pool/leftovers.ts";
import { poolProfileKey } from "../../../../action/sandbox/pool/pool-key.ts";
import { claimMember, isIdle, listMembers } from "../../../../action/sandbox/pool/pool-member.ts";
import { WarmPool } from "../../../../action/sandbox/pool/warm-pool.ts";
import { describeDocker } from "../../../helpers/docker.ts";
import { drainWarmPool } from "../../../helpers/warm-pool.ts";
import { allowDockerHijack, requireSandboxImage, SANDBOX_IMAGE } from "../sandbox-helpers.ts";

const DAY = 24 * 3600_000;
const OPTIONS = { taskId: "test-pool", memoryMb: 256 };
const docker = new Docker();

/** A live process to keep a pool; kill it and the pool's keeper is gone. */
function keeperProcess(): { owner: string; process: ChildProcess } {
  const child = spawn("sleep", ["600"], { stdio: "ignore" });
  return { owner: ownerOf(child.pid!), process: child };
}

/** A pool of one that already holds an idle member. */
async function primedPool(keeper: string, options: object = OPTIONS): Promise<WarmPool> {
  const pool = new WarmPool({ size: 1, keeper });
  await (await pool.acquire(options)).destroy();
  await pool.settle();
  return pool;
}

async function idleMembers(keeper: string, options: object = OPTIONS) {
  const key = poolProfileKey(parseSandboxOptions(options));
  return (await listMembers(docker, { keeper, key })).filter(isIdle);
}

/** `node --import tsx pool-process.ts …`, resolved with the JSON line it prints once in place. */
async function poolProcess(
  ...args: string[]
): Promise<{ child: ChildProcess; line: Record<string, string> }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "pool-process.ts"), ...args],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const [first] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return { child, line: JSON.parse(first) as Record<string, string> };
}

/**
 * The next start's sweep (the action's cleaner runs the same judge), limited to one label so this
 * suite never sweeps other suites' or other people's leftovers on the shared engine.
 */
const nextStart = (label: string) => removeLeftoverSandboxes({ olderThanMs: DAY, labels: [label] });

const exists = (id: string) =>
  docker
    .getContainer(id)
    .inspect()
    .then(
      () => true,
      () => false,
    );

describeDocker("warm sandbox pool", () => {
  const keepers: ReturnType<typeof keeperProcess>[] = [];
  const keeper = () => {
    const made = keeperProcess();
    keepers.push(made);
    return made.owner;
  };
  let restoreNock: () => void = () => undefined;
  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
  });
  afterAll(async () => {
    for (const made of keepers) {
      await drainWarmPool(made.owner);
      made.process.kill();
    }
    restoreNock();
  });

  it("lets exactly one of many racing claims win an idle member", async () => {
    const owner = keeper();
    await primedPool(owner);
    const [member] = await idleMembers(owner);
    expect(member).toBeDefined();
    const wins = await Promise.all(Array.from({ length: 8 }, () => claimMember(docker, member!)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    await docker.getContainer(member!.id).remove({ force: true, v: true });
  });

  it("hands each of several concurrent tasks its own sandbox", async () => {
    const owner = keeper();
    await primedPool(owner);
    const pools = Array.from({ length: 4 }, () => new WarmPool({ size: 1, keeper: owner }));
    const sandboxes: DockerSandbox[] = await Promise.all(pools.map((pool) => pool.acquire(OPTIONS)));
    try {
      expect(new Set(sandboxes.map((s) => s.containerId)).size).toBe(4);
      expect(pools.flatMap((pool) => pool.handedOut)).toContain("pool");
      await Promise.all(sandboxes.map((s, i) => s.exec(`echo ${i} > /workspace/mine`)));
      const seen = await Promise.all(sandboxes.map((s) => s.exec("cat /workspace/mine")));
      expect(seen.map((r) => r.stdout)).toEqual(["0\n", "1\n", "2\n", "3\n"]);
    } finally {
      await Promise.all(sandboxes.map((s) => s.destroy()));
      await Promise.all(pools.map((pool) => pool.settle()));
    }
  }, 120_000);

  it("gives the next task a sandbox where nothing of the previous task remains", async () => {
    const owner = keeper();
    const pool = await primedPool(owner);
    const first = await pool.acquire(OPTIONS);
    expect(pool.handedOut.at(-1)).toBe("pool");
    await first.exec(
      "echo secret > /tmp/left; echo secret > /workspace/left; echo secret > ~/left; export LEFT=1; (sleep 600 &)",
    );
    await first.destroy();
    await pool.settle();
    const second = await pool.acquire(OPTIONS);
    try {
      expect(pool.handedOut.at(-1)).toBe("pool");
      expect(second.containerId).not.toBe(first.containerId);
      expect(await exists(first.containerId)).toBe(false);
      const look = await second.exec(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
        'ls /tmp/left /workspace/left ~/left 2>&1 | grep -c "No such file"; echo "${LEFT-unset}"; pgrep -c sleep || true',
      );
      expect(look.stdout).toBe("3\nunset\n0\n");
    } finally {
      await second.destroy();
      await pool.settle();
    }
  }, 120_000);

  it("never hands out a member whose image was rebuilt, and replaces it", async () => {
    const owner = keeper();
    const [repo, tag] = ["inhouse-pool-test", `r${process.pid}`];
    const image = `${repo}:${tag}`;
    await docker.getImage(SANDBOX_IMAGE).tag({ repo, tag });
    const options = { ...OPTIONS, image };
    const base = await docker.createContainer({ Image: image, Cmd: ["true"] });
    try {
      const pool = await primedPool(owner, options);
      const [stale] = await idleMembers(owner, options);
      // The rebuild: the same name now points at another image.
      await base.commit({ repo, tag, changes: ["LABEL inhouse.test.rebuilt=1"] });
      const rebuilt = (await docker.getImage(image).inspect()).Id;
      expect(rebuilt).not.toBe(stale!.imageId);

      const sandbox = await pool.acquire(options);
      expect(pool.handedOut.at(-1)).toBe("new");
      expect((await docker.getContainer(sandbox.containerId).inspect()).Image).toBe(rebuilt);
      await sandbox.destroy();
      await pool.settle();
      expect(await exists(stale!.id)).toBe(false);
      expect((await idleMembers(owner, options)).map((m) => m.imageId)).toEqual([rebuilt]);
      const next = await pool.acquire(options);
      expect(pool.handedOut.at(-1)).toBe("pool");
      await next.destroy();
      await pool.settle();
    } finally {
      await drainWarmPool(owner);
      await base.remove({ force: true });
      await docker
        .getImage(image)
        .remove()
        .catch(() => undefined);
    }
  }, 120_000);

  it("the cleaner removes an idle member whose image was rebuilt, and keeps a live keeper's current ones", async () => {
    const owner = keeper();
    const [repo, tag] = ["inhouse-pool-test", `c${process.pid}`];
    const image = `${repo}:${tag}`;
    await docker.getImage(SANDBOX_IMAGE).tag({ repo, tag });
    const base = await docker.createContainer({ Image: image, Cmd: ["true"] });
    try {
      await primedPool(owner, { ...OPTIONS, image });
      await primedPool(owner);
      const [stale] = await idleMembers(owner, { ...OPTIONS, image });
      const [current] = await idleMembers(owner);
      await base.commit({ repo, tag, changes: ["LABEL inhouse.test.rebuilt=1"] });
      await nextStart(`inhouse.pool.keeper=${owner}`);
      expect(await exists(stale!.id)).toBe(false);
      expect(await exists(current!.id)).toBe(true);
    } finally {
      await drainWarmPool(owner);
      await base.remove({ force: true });
      await docker
        .getImage(image)
        .remove()
        .catch(() => undefined);
    }
  }, 120_000);

  it("removes a killed runner's pool at the next start", async () => {
    const { child, line } = await poolProcess("keep");
    const members = await idleMembers(line.keeper!);
    expect(members).toHaveLength(1);
    child.kill("SIGKILL");
    await once(child, "exit");
    await nextStart(`inhouse.pool.keeper=${line.keeper}`);
    expect(await exists(members[0]!.id)).toBe(false);
    await expect(docker.getVolume(members[0]!.volume!).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 120_000);

  it("removes a member whose boot was cut short by its booter's death, and keeps one still booting", async () => {
    const owner = keeper();
    const dead = keeperProcess();
    dead.process.kill("SIGKILL");
    await once(dead.process, "exit");
    const booting = (booter: string) =>
      docker.createContainer({
        name: `inhouse-poolnew-t${Math.random().toString(16).slice(2, 10)}`,
        Image: SANDBOX_IMAGE,
        Cmd: ["true"],
        Labels: {
          "inhouse.sandbox": "1",
          "inhouse.created": String(Date.now()),
          "inhouse.owner": owner,
          "inhouse.pool": "test-booting",
          "inhouse.pool.keeper": owner,
          "inhouse.pool.booter": booter,
        },
      });
    const orphan = await booting(dead.owner);
    const live = await booting(ownerOf(process.pid));
    try {
      await nextStart("inhouse.pool=test-booting");
      expect(await exists(orphan.id)).toBe(false);
      expect(await exists(live.id)).toBe(true);
    } finally {
      await orphan.remove({ force: true }).catch(() => undefined);
      await live.remove({ force: true });
    }
  });

  it("stops the sandbox of a task killed while holding it, and the next start removes it", async () => {
    const owner = keeper();
    await primedPool(owner);
    const { child, line } = await poolProcess("claim", owner);
    expect(line.from).toBe("pool");
    child.kill("SIGKILL");
    await once(child, "exit");
    // Its shell's stdin closed with the connection: the container stops by itself.
    await docker.getContainer(line.containerId!).wait();
    await nextStart(`inhouse.pool.keeper=${owner}`);
    expect(await exists(line.containerId!)).toBe(false);
    // The killed task had refilled the pool first; that member is its keeper's and stays.
    expect(await idleMembers(owner)).toHaveLength(1);
  }, 120_000);
});

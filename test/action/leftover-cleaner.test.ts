import { mkdir, mkdtemp, rm, stat, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanLeftovers,
  removeSandboxInstance,
  removeStaleWorkDirs,
  sandboxInstanceOf,
} from "../../action/leftover-cleaner.ts";
import { createSandbox } from "../../action/sandbox/index.ts";
import { describeDocker } from "../helpers/docker.ts";
import { allowDockerHijack, requireSandboxImage } from "./sandbox/sandbox-helpers.ts";

const DAY = 24 * 3600_000;
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function tempTree(): Promise<{ root: string; stale: string; fresh: string; other: string }> {
  const root = await mkdtemp(join(tmpdir(), "leftover-test-"));
  const stale = join(root, "inhouse-work-crashed");
  const fresh = join(root, "inhouse-work-running");
  const other = join(root, "someone-elses");
  for (const dir of [stale, fresh, other]) await mkdir(join(dir, "repo"), { recursive: true });
  const old = new Date(Date.now() - 2 * DAY);
  await utimes(stale, old, old);
  await utimes(other, old, old);
  return { root, stale, fresh, other };
}

describe("stale working directories", () => {
  it("removes only old inhouse-work-* directories under the temp roots", async () => {
    const tree = await tempTree();
    try {
      expect(await removeStaleWorkDirs([tree.root, join(tree.root, "missing")], DAY)).toEqual([tree.stale]);
      expect(await exists(tree.stale)).toBe(false);
      expect(await exists(tree.fresh)).toBe(true);
      expect(await exists(tree.other)).toBe(true);
    } finally {
      await rm(tree.root, { recursive: true, force: true });
    }
  });
});

describeDocker("leftovers of crashed runs", () => {
  const docker = new Docker();
  let restoreNock: () => void = () => undefined;
  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
  });
  afterAll(() => restoreNock());

  it("removes old containers, proxies, volumes and networks by label, and keeps fresh ones", async () => {
    const labels = (created: number, role?: string) => ({
      "inhouse.sandbox": "1",
      "inhouse.created": String(created),
      "inhouse.task": "test-leftover-cleaner",
      ...(role ? { "inhouse.role": role } : {}),
    });
    const staleNet = await docker.createNetwork({
      Name: `inhouse-net-stale-${Date.now()}`,
      Internal: true,
      Labels: labels(1, "egress"),
    });
    const freshNet = await docker.createNetwork({
      Name: `inhouse-net-fresh-${Date.now()}`,
      Internal: true,
      Labels: labels(Date.now(), "egress"),
    });
    const staleProxy = await docker.createContainer({
      Image: "inhouse-sandbox:latest",
      Cmd: ["true"],
      Labels: labels(1, "egress"),
      HostConfig: { NetworkMode: (await staleNet.inspect()).Name },
    });
    const staleVolume = await docker.createVolume({
      Name: `inhouse-ws-stale-${Date.now()}`,
      Labels: labels(1),
    });
    const tree = await tempTree();
    try {
      const report = await cleanLeftovers({ olderThanMs: DAY, tempDirs: [tree.root] });
      // Another task's cleaner on this shared engine may remove the stale ones first, so what this
      // call counted is not asserted; that they are gone, and the fresh network is not, is.
      expect(report.workDirs).toEqual([tree.stale]);
      await expect(staleProxy.inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(staleNet.inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(docker.getVolume(staleVolume.name).inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(freshNet.inspect()).resolves.toBeTruthy();
    } finally {
      await staleProxy.remove({ force: true }).catch(() => undefined);
      await staleNet.remove().catch(() => undefined);
      await freshNet.remove().catch(() => undefined);
      await rm(tree.root, { recursive: true, force: true });
    }
  });

  it("the post step removes a sandbox with its allowlist proxy and network, and nothing else", async () => {
    const sandbox = await createSandbox({ taskId: "test-post-step", network: "allowlist", memoryMb: 256 });
    const bystander = await docker.createContainer({
      Image: "inhouse-sandbox:latest",
      Cmd: ["true"],
      Labels: {
        "inhouse.sandbox": "1",
        "inhouse.created": String(Date.now()),
        "inhouse.task": "test-post-step",
      },
    });
    const task = JSON.stringify({ label: ["inhouse.task=test-post-step", "inhouse.role=egress"] });
    try {
      expect((await docker.listContainers({ all: true, filters: task })).length).toBe(1);
      const instance = await sandboxInstanceOf(sandbox.containerId);
      expect(instance).toMatch(/^[0-9a-f]{8}$/);
      const report = await removeSandboxInstance(instance!);
      expect(report).toMatchObject({ containers: 2, networks: 1, volumes: 1 });
      await expect(docker.getContainer(sandbox.containerId).inspect()).rejects.toMatchObject({
        statusCode: 404,
      });
      expect(await docker.listContainers({ all: true, filters: task })).toEqual([]);
      expect(await docker.listNetworks({ filters: task })).toEqual([]);
      await expect(bystander.inspect()).resolves.toBeTruthy();
    } finally {
      await sandbox.destroy().catch(() => undefined);
      await bystander.remove({ force: true });
    }
  }, 120_000);
});

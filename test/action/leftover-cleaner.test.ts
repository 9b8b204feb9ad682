import { mkdir, mkdtemp, rm, stat, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanLeftovers, removeRunLeftovers, removeStaleWorkDirs } from "../../action/leftover-cleaner.ts";
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
      expect(report.containers).toBeGreaterThanOrEqual(1);
      expect(report.networks).toBeGreaterThanOrEqual(1);
      expect(report.volumes).toBeGreaterThanOrEqual(1);
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

  it("the post step removes its own run's containers and networks whatever their age, and no other run's", async () => {
    const run = `catalogue-${Date.now()}`;
    const labels = (runId: string) => ({
      "inhouse.sandbox": "1",
      "inhouse.created": String(Date.now()),
      "inhouse.task": "test-run-leftovers",
      "inhouse.run": runId,
    });
    const network = await docker.createNetwork({
      Name: `inhouse-net-${run}`,
      Internal: true,
      Labels: labels(run),
    });
    const mine = await docker.createContainer({
      Image: "inhouse-sandbox:latest",
      Cmd: ["true"],
      Labels: labels(run),
    });
    const other = await docker.createContainer({
      Image: "inhouse-sandbox:latest",
      Cmd: ["true"],
      Labels: labels(`${run}-other`),
    });
    try {
      const report = await removeRunLeftovers(run);
      expect(report).toMatchObject({ containers: 1, networks: 1 });
      await expect(mine.inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(network.inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(other.inspect()).resolves.toBeTruthy();
    } finally {
      await other.remove({ force: true });
      await mine.remove({ force: true }).catch(() => undefined);
      await network.remove().catch(() => undefined);
    }
  });
});

import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROXY_IMAGE } from "../../action/sandbox/egress/egress-proxy.ts";
import { REQUIRE_DOCKER_ENV } from "../helpers/docker.ts";
import {
  copyImages,
  type SecondDaemon,
  secondDaemonUnavailable,
  startSecondDaemon,
} from "../helpers/second-docker-daemon.ts";
import { BUG, SCENARIO_ONE_ISSUE, scenarioOneScript, widgetFiles } from "./helpers/scenario-one.ts";
import { runLogs, statusComments } from "./helpers/system-assertions.ts";
import { SANDBOX_IMAGE, startWholeSystem, type WholeSystem } from "./helpers/whole-system.ts";
import type { RepoRecord } from "./local-github/state.ts";

/**
 * The dind shape of actions-runner-controller (runner-image/arc/, docs/arc.md): the action reaches
 * a Docker daemon that is not the host's, through `DOCKER_HOST`, and shares no /tmp with it. The
 * daemon here has its own data root, exec root, socket, network namespace and an empty private
 * /tmp; a task still runs end to end (seeded and diffed through the Docker API), and everything it
 * made is gone from that daemon afterwards, while the host's daemon never saw it.
 *
 * Root only (it starts a dockerd); skipped with the reason elsewhere, a failure under
 * INHOUSE_REQUIRE_DOCKER=1. `INHOUSE_IMAGE_LOCK` names a lock file held while the sandbox image is
 * copied, where a machine serialises image builds with one.
 */
const unavailable = secondDaemonUnavailable() ?? (await hostDockerMissing());
if (unavailable && process.env[REQUIRE_DOCKER_ENV] === "1") {
  throw new Error(`${REQUIRE_DOCKER_ENV}=1 but the dind-shape test cannot run: ${unavailable}`);
}
if (unavailable) console.warn(`Skipping the dind-shape test: ${unavailable}.`);

async function hostDockerMissing(): Promise<string | undefined> {
  try {
    await new Docker().ping();
    await new Docker().getImage(SANDBOX_IMAGE).inspect();
    return undefined;
  } catch (error) {
    return `the host's Docker engine or ${SANDBOX_IMAGE} is missing (${(error as Error).message}); npm test builds it`;
  }
}

const TASK_TIMEOUT_MS = 180_000;

(unavailable ? describe.skip : describe)("the dind shape: a second daemon behind DOCKER_HOST", () => {
  let daemon: SecondDaemon;
  let system: WholeSystem;
  let repo: RepoRecord;
  let hostContainersBefore: Set<string>;

  beforeAll(async () => {
    daemon = await startSecondDaemon();
    hostContainersBefore = new Set((await new Docker().listContainers({ all: true })).map((c) => c.Id));
    // The images travel to the second daemon while the local GitHub, the App and the runner start
    // (none of them touches a daemon until a task runs).
    [system] = await Promise.all([
      startWholeSystem([], {
        runnerEnv: { DOCKER_HOST: daemon.host },
        // No warm pool: its keeper would outlive the run and its sandbox is not the task's.
        sandboxPool: "0",
        runnerInputs: { "allowed-networks": "none,allowlist" },
      }),
      copyImages([SANDBOX_IMAGE, DEFAULT_PROXY_IMAGE], daemon, process.env.INHOUSE_IMAGE_LOCK),
    ]);
    // The allowlist profile: the task's egress proxy and internal network live on that daemon too
    // (the proxy's Squid config goes in by environment, never by a file from the runner).
    const files = await widgetFiles();
    files[".github/agent.yml"] += "sandbox:\n  network: allowlist\n  allowlist: [registry.npmjs.org]\n";
    repo = await system.github.createRepo("widget", files);
    system.github.addCollaborator(repo, "alice", "write");
  }, 300_000);

  afterAll(async () => {
    await system?.close();
    await daemon?.stop();
  }, 120_000);

  it("shares no /tmp with the action: a file the action's side writes there is not on the daemon's side", async () => {
    const { writeFile, rm } = await import("node:fs/promises");
    const name = `inhouse-dind-probe-${process.pid}`;
    await writeFile(`/tmp/${name}`, "host side\n");
    // A container that bind-mounts /tmp sees its daemon's /tmp: the host's daemon shows the probe
    // (the control), the second daemon does not.
    const probe = async (engine: Docker) => {
      const container = await engine.createContainer({
        Image: SANDBOX_IMAGE,
        Cmd: ["sh", "-c", `test -e /host-tmp/${name} && echo visible || echo absent`],
        HostConfig: { Binds: ["/tmp:/host-tmp:ro"], NetworkMode: "none", AutoRemove: false },
        Entrypoint: [],
      });
      try {
        return (await runToEnd(container)).trim();
      } finally {
        await container.remove({ force: true });
      }
    };
    try {
      expect(await probe(new Docker())).toBe("visible");
      expect(await probe(daemon.docker)).toBe("absent");
    } finally {
      await rm(`/tmp/${name}`, { force: true });
    }
  });

  it(
    "a labelled issue becomes a PR with the fix, the sandbox running on the second daemon",
    async () => {
      const seen = new Set<string>();
      const proxies = new Set<string>();
      const watch = setInterval(() => {
        void daemon.docker
          .listContainers({ all: true, filters: { label: ["inhouse.sandbox=1"] } })
          .then((list) => {
            for (const info of list) {
              seen.add(info.Id);
              if (info.Names.some((n) => n.startsWith("/inhouse-proxy-"))) proxies.add(info.Id);
            }
          })
          .catch(() => undefined);
      }, 200);
      try {
        system.model.push(...scenarioOneScript());
        const issue = system.github.openIssue(repo, SCENARIO_ONE_ISSUE);
        await system.github.labelIssue(issue, "agent", "alice");
        await system.settle();
        const pulls = system.github.pulls(repo);
        expect(pulls, runLogs(system)).toHaveLength(1);
        expect(await system.github.readFile(repo, pulls[0]!.pull.headRef, BUG.path)).toContain(BUG.fixed);
        expect(statusComments(system, issue).map((s) => s.marker.state)).toEqual(["succeeded"]);
      } finally {
        clearInterval(watch);
      }
      // The sandbox ran on the second daemon, and the host's daemon never had it.
      expect(seen.size, daemon.log().slice(-2000)).toBeGreaterThan(1);
      expect(proxies.size, "the allowlist proxy ran on the second daemon").toBe(1);
      const hostNow = (await new Docker().listContainers({ all: true })).map((c) => c.Id);
      expect(hostNow.filter((id) => seen.has(id))).toEqual([]);
      expect(hostNow.filter((id) => !hostContainersBefore.has(id) && seen.has(id))).toEqual([]);
      // Nothing left behind on the second daemon: containers, the workspace volume, networks.
      const left = await daemon.docker.listContainers({
        all: true,
        filters: { label: ["inhouse.sandbox=1"] },
      });
      expect(left).toEqual([]);
      const volumes = (await daemon.docker.listVolumes()).Volumes ?? [];
      expect(volumes.map((v) => v.Name)).toEqual([]);
      const networks = await daemon.docker.listNetworks();
      expect(networks.map((n) => n.Name).sort()).toEqual(["bridge", "host", "none"]);
    },
    TASK_TIMEOUT_MS,
  );
});

async function runToEnd(container: Docker.Container): Promise<string> {
  await container.start();
  await container.wait();
  const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
  // Docker's log stream without a TTY: an 8-byte frame header before each chunk.
  let text = "";
  for (let at = 0; at + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(at + 4);
    text += raw.subarray(at + 8, at + 8 + size).toString();
    at += 8 + size;
  }
  return text;
}

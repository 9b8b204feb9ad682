/**
 * Docker from the runner's point of view: the engine answers (through DOCKER_HOST too), the images
 * exist, the chosen runtime is registered, a real sandbox is hardened as the policy says, and the
 * allowlist proxy starts and refuses what it should. Each check uses the code a task uses.
 */
import Docker from "dockerode";
import { connectDocker, ensureImagePresent } from "../sandbox/engine/docker-connection.ts";
import { createSandbox, type Sandbox, type SandboxOptions } from "../sandbox/index.ts";
import { daemonRuntimes, ensureRuntimeAvailable } from "../sandbox/runtimes.ts";
import { type CheckOutcome, type CheckResult, runCheck } from "./check.ts";

export interface DockerCheckOptions {
  image: string;
  proxyImage: string;
  /** The runner's sandbox-runtime; undefined is the daemon's default. */
  runtime?: string;
  docker?: Docker;
}

function where(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST}` : "/var/run/docker.sock";
}

const HARDENING_PROBE = [
  "id -u",
  "grep '^CapEff:' /proc/self/status",
  "touch /doctor-probe 2>/dev/null && echo root-writable || echo root-read-only",
  "test -S /var/run/docker.sock && echo socket-present || echo socket-absent",
].join("; ");

/** Reads the probe's four lines into the problems a person must fix; empty when hardened. */
export function hardeningProblems(output: string): string[] {
  const [uid, capEff, root, socket] = output.trim().split("\n");
  const problems: string[] = [];
  if (uid?.trim() !== "1000") problems.push(`runs as uid ${uid?.trim()} instead of 1000`);
  if (!/CapEff:\s+0+$/.test(capEff ?? "")) problems.push(`has capabilities (${capEff?.trim()})`);
  if (root?.trim() !== "root-read-only") problems.push("its root filesystem is writable");
  if (socket?.trim() !== "socket-absent") problems.push("the Docker socket is inside it");
  return problems;
}

/** The engine, then the images and the runtime, then a real sandbox: each stage only when the one before passed. */
export async function dockerChecks(
  options: DockerCheckOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CheckResult[]> {
  const docker = options.docker ?? new Docker();
  const reachable = await reachableCheck(docker, env);
  if (reachable.status === "fail") return [reachable];
  const results = [reachable, ...(await imageChecks(docker, options)), await runtimeCheck(docker, options)];
  if (results.some((r) => r.status === "fail")) return results;
  results.push(await hardeningCheck(docker, options));
  results.push(await egressProxyCheck(docker, options));
  return results;
}

function reachableCheck(docker: Docker, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  return runCheck(
    "docker",
    "docker.reachable",
    async () => {
      await connectDocker(docker);
      const version = await docker.version();
      return {
        status: "ok",
        summary: `Docker ${version.Version} answers at ${where(env)}`,
        details: { version: version.Version, host: where(env) },
      };
    },
    env.DOCKER_HOST
      ? `check DOCKER_HOST (${env.DOCKER_HOST}): start that daemon or unset DOCKER_HOST to use /var/run/docker.sock`
      : "start the engine: `sudo systemctl start docker` (or `bash scripts/docker-engine.sh`), and add the runner's user to the docker group",
  );
}

async function imageChecks(docker: Docker, options: DockerCheckOptions): Promise<CheckResult[]> {
  const images = [
    { id: "docker.image.sandbox", image: options.image, build: "bash runner-image/build.sh" },
    { id: "docker.image.proxy", image: options.proxyImage, build: "bash runner-image/egress-proxy/build.sh" },
  ];
  const results: CheckResult[] = [];
  for (const { id, image, build } of images) {
    results.push(
      await runCheck(
        "docker",
        id,
        async () => {
          const imageId = await ensureImagePresent(docker, image);
          return { status: "ok", summary: `${image} is present (${imageId.slice(7, 19)})` };
        },
        `build it on this host: \`${build}\` (scripts/install-runner-host.sh does both images)`,
      ),
    );
  }
  return results;
}

function runtimeCheck(docker: Docker, options: DockerCheckOptions): Promise<CheckResult> {
  return runCheck(
    "docker",
    "docker.runtime",
    async () => {
      const offered = await daemonRuntimes(docker);
      await ensureRuntimeAvailable(docker, options.runtime);
      const chosen = options.runtime ?? `${offered.default} (the daemon's default)`;
      return {
        status: "ok",
        summary: `sandboxes run under ${chosen}; the daemon offers ${offered.names.join(", ")}`,
        details: { runtime: options.runtime ?? offered.default, offered: offered.names },
      };
    },
    "register the runtime with dockerd, or clear the runner's sandbox-runtime setting",
  );
}

function hardeningCheck(docker: Docker, options: DockerCheckOptions): Promise<CheckResult> {
  const hardened = { ...(options.runtime ? { runtime: options.runtime } : {}), taskId: "doctor-hardening" };
  return runCheck(
    "docker",
    "docker.hardening",
    () =>
      inTestSandbox(docker, options, hardened, async (sandbox) => {
        const probe = await sandbox.exec(HARDENING_PROBE, { timeoutMs: 30_000 });
        const problems = hardeningProblems(probe.stdout);
        if (problems.length)
          return {
            status: "fail",
            summary: `a test sandbox is not hardened: it ${problems.join("; ")}`,
            fix: "use the project's sandbox image (its user is uid 1000) and a Docker engine that honours CapDrop and ReadonlyRootfs (rootful dockerd or rootless with cgroup v2)",
          };
        return {
          status: "ok",
          summary:
            "a test sandbox runs as uid 1000 with no capabilities, a read-only root and no Docker socket",
        };
      }),
    "the sandbox did not start; run `npm run inhouse -- run --help` checks, or see the message above",
  );
}

function egressProxyCheck(docker: Docker, options: DockerCheckOptions): Promise<CheckResult> {
  const allowlist = {
    proxyImage: options.proxyImage,
    network: "allowlist" as const,
    allowlist: ["allowed.invalid"],
    taskId: "doctor-proxy",
  };
  return runCheck(
    "docker",
    "docker.egress-proxy",
    () =>
      inTestSandbox(docker, options, allowlist, async (sandbox) => {
        const probe = await sandbox.exec(
          "curl -sS -o /dev/null -w '%{http_code}' --max-time 20 http://blocked.invalid/ 2>&1",
          { timeoutMs: 40_000 },
        );
        if (probe.stdout.trim() !== "403")
          return {
            status: "fail",
            summary: `the allowlist proxy did not refuse a host outside its list (got: ${probe.stdout.trim() || probe.stderr.trim()})`,
            fix: "rebuild the proxy image (`bash runner-image/egress-proxy/build.sh`) and check that dockerd may create internal networks",
          };
        return {
          status: "ok",
          summary: "the allowlist proxy starts and refuses a host outside its list (403)",
        };
      }),
    "the allowlist proxy did not start: rebuild it (`bash runner-image/egress-proxy/build.sh`) and check that dockerd may create networks",
  );
}

/** A small sandbox of the runner's image, destroyed whatever the probe found. */
async function inTestSandbox(
  docker: Docker,
  options: DockerCheckOptions,
  extra: Partial<SandboxOptions> & { taskId: string },
  probe: (sandbox: Sandbox) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  const sandbox = await createSandbox(
    {
      image: options.image,
      memoryMb: 256,
      workspaceMb: 16,
      tmpMb: 16,
      ...extra,
    },
    docker,
  );
  try {
    return await probe(sandbox);
  } finally {
    await sandbox.destroy();
  }
}

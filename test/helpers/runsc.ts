import Docker from "dockerode";
import { describe } from "vitest";
import { RUNTIME_ENV } from "../../action/sandbox/options.ts";
import { type DaemonRuntimes, daemonRuntimes } from "../../action/sandbox/runtimes.ts";
import { dockerAvailable } from "./docker.ts";

/** CI sets this so that a host without gVisor registered fails the runsc suites instead of skipping them. */
export const REQUIRE_RUNSC_ENV = "INHOUSE_REQUIRE_RUNSC";

const offered: DaemonRuntimes | undefined = dockerAvailable ? await daemonRuntimes(new Docker()) : undefined;
const registered = Boolean(offered?.names.includes("runsc"));
if (!registered && process.env[REQUIRE_RUNSC_ENV] === "1")
  throw new Error(
    `${REQUIRE_RUNSC_ENV}=1 but dockerd offers no runsc runtime: run \`bash scripts/gvisor-runtime.sh\` (as root).`,
  );

/** `describe` for suites that run sandboxes under gVisor: skipped with a message where dockerd offers no runsc. */
export function describeRunsc(name: string, body: () => void): void {
  if (registered) {
    describe(name, body);
    return;
  }
  console.warn(
    `Skipping "${name}": dockerd offers no runsc runtime (bash scripts/gvisor-runtime.sh registers it).`,
  );
  describe.skip(name, body);
}

/**
 * The runtime this test process's sandboxes run under when they name none: scripts/test.sh reruns
 * the sandbox suites and the attack catalogue with `INHOUSE_SANDBOX_RUNTIME=runsc`.
 */
export const sandboxRuntime: string | undefined = process.env[RUNTIME_ENV] || undefined;

/**
 * gVisor answers some attacks differently from runc (a fork bomb or a memory hog ends the whole
 * sandbox; a write to the read-only root is EACCES; /proc/self/status has no NoNewPrivs line):
 * expectations that depend on it read this.
 */
export const underGvisor = sandboxRuntime === "runsc";

/**
 * Why this process cannot create a sandbox with a network (`allowlist`, `open`), or undefined when
 * it can: a runtime registered with `--network=none` (gVisor here, whose own network fails on this
 * host) gives containers only loopback, and createSandbox refuses those profiles under it.
 */
export const noNetworkReason: string | undefined =
  sandboxRuntime && offered?.networkless.includes(sandboxRuntime)
    ? `the sandbox runtime '${sandboxRuntime}' is registered with --network=none, so no allowlist or open sandbox can be created under it`
    : undefined;

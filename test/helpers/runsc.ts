import Docker from "dockerode";
import { describe } from "vitest";
import { dockerAvailable } from "./docker.ts";

/** CI sets this so that a host without gVisor registered fails the runsc suites instead of skipping them. */
export const REQUIRE_RUNSC_ENV = "INHOUSE_REQUIRE_RUNSC";

async function runscRegistered(): Promise<boolean> {
  if (!dockerAvailable) return false;
  const info = (await new Docker().info()) as { Runtimes?: Record<string, unknown> };
  return Boolean(info.Runtimes?.runsc);
}

const registered = await runscRegistered();
if (!registered && process.env[REQUIRE_RUNSC_ENV] === "1")
  throw new Error(
    `${REQUIRE_RUNSC_ENV}=1 but dockerd offers no runsc runtime: run \`bash scripts/gvisor-runtime.sh\` (as root).`,
  );
if (!registered)
  console.warn(
    "Skipping gVisor suites: dockerd offers no runsc runtime (bash scripts/gvisor-runtime.sh registers it).",
  );

/** `describe` for suites that run sandboxes under gVisor. */
export const describeRunsc = registered ? describe : describe.skip;

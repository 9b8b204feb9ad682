import Docker from "dockerode";
import { describe } from "vitest";

/** CI sets this so that a Docker-backed suite that cannot reach an engine fails instead of skipping. */
export const REQUIRE_DOCKER_ENV = "INHOUSE_REQUIRE_DOCKER";

async function dockerAnswers(): Promise<boolean> {
  try {
    await new Docker().ping();
    return true;
  } catch {
    return false;
  }
}

const available = await dockerAnswers();

if (!available && process.env[REQUIRE_DOCKER_ENV] === "1") {
  throw new Error(
    `${REQUIRE_DOCKER_ENV}=1 but no Docker engine answers on /var/run/docker.sock. ` +
      "Start one with `bash scripts/docker-engine.sh`.",
  );
}
if (!available) {
  console.warn(
    "Skipping Docker-backed tests: no Docker engine answers. Start one with `bash scripts/docker-engine.sh` " +
      `(CI sets ${REQUIRE_DOCKER_ENV}=1 to make this a failure).`,
  );
}

/** `describe` for suites that need a real Docker engine: skipped with a message here, a failure in CI. */
export const describeDocker = available ? describe : describe.skip;
export const dockerAvailable = available;

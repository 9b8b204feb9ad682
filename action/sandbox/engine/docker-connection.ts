/** Reaching the Docker engine and the sandbox image, with failures that say how to fix them. */
import Docker from "dockerode";
import { SandboxError } from "./errors.ts";

export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === "number" ? code : undefined;
}

export async function connectDocker(docker: Docker = new Docker()): Promise<Docker> {
  try {
    await docker.ping();
    return docker;
  } catch (error) {
    throw new SandboxError(
      "docker-unavailable",
      "No Docker engine answers (looked at DOCKER_HOST or /var/run/docker.sock). " +
        "Start one with `bash scripts/docker-engine.sh` (or start dockerd / Docker Desktop) and retry.",
      { cause: error },
    );
  }
}

/** The image's id (`sha256:…`), or an error that says how to build it. */
export async function ensureImagePresent(docker: Docker, image: string): Promise<string> {
  try {
    return (await docker.getImage(image).inspect()).Id;
  } catch (error) {
    if (statusCodeOf(error) === 404) {
      throw new SandboxError(
        "image-missing",
        `Sandbox image ${image} is not built on this machine. Build it with \`npm run image\` ` +
          "(runs runner-image/build.sh), or set the sandbox image option to one that exists.",
        { cause: error },
      );
    }
    throw new SandboxError(
      "docker-unavailable",
      `Docker failed to inspect image ${image}: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
}

import { execFileSync } from "node:child_process";
import Docker from "dockerode";
import nock from "nock";

export const SANDBOX_IMAGE = "inhouse-sandbox:latest";

/** Docker suites need the built image; say how to get it instead of failing obscurely. */
export async function requireSandboxImage(): Promise<void> {
  try {
    await new Docker().getImage(SANDBOX_IMAGE).inspect();
  } catch {
    throw new Error(`The sandbox image ${SANDBOX_IMAGE} is missing: run \`npm run image\` first.`);
  }
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], {
    cwd,
    encoding: "utf8",
  });
}

/**
 * nock (test/setup.ts) patches http.request, which breaks the connection upgrade behind Docker's
 * hijacked exec stream and streamed uploads (putArchive). Suites that start sandboxes switch it
 * off in beforeAll and back on in afterAll with the returned function.
 */
export function allowDockerHijack(): () => void {
  nock.restore();
  return () => nock.activate();
}

/** The runner host's address on Docker's default bridge (the subnet's first address when not listed). */
export async function bridgeGateway(): Promise<string> {
  const bridge = await new Docker().getNetwork("bridge").inspect();
  const config = bridge.IPAM?.Config?.[0];
  if (config?.Gateway) return config.Gateway;
  const [network = ""] = (config?.Subnet ?? "172.17.0.0/16").split("/");
  return network.replace(/\.0$/, ".1");
}

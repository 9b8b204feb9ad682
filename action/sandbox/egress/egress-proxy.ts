/**
 * The allowlist profile's moving parts: a per-task internal Docker network (no route out) and a
 * Squid container on it and on the default bridge. A sandbox on that network reaches the outside
 * only through the proxy, which lets through the allowlisted hosts and refuses the rest.
 */
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { ensureImagePresent, statusCodeOf } from "../engine/docker-connection.ts";
import { SandboxError } from "../engine/errors.ts";
import { FrameDemuxer } from "../engine/stream-frames.ts";
import { countBlocked, type EgressReport } from "./egress-log.ts";
import { PROXY_PORT, squidConfig } from "./squid-config.ts";

export const DEFAULT_PROXY_IMAGE = "inhouse-egress-proxy:latest";
export const LABEL_ROLE = "inhouse.role";
const READY_LINE = "Accepting HTTP Socket connections";
const READY_TIMEOUT_MS = 30_000;

export interface EgressProxyOptions {
  image: string;
  allowlist: readonly string[];
  /** Private ranges the runner's administrator opened; every other private destination is refused. */
  internalRanges?: readonly string[];
  taskId: string;
  /** The sandbox's labels (inhouse.sandbox, inhouse.created, …): the leftovers cleaner finds both by them. */
  labels: Record<string, string>;
}

export class EgressProxy {
  private removed = false;

  private constructor(
    readonly network: Docker.Network,
    readonly networkName: string,
    private readonly container: Docker.Container,
    /** The proxy's address on the internal network; the sandbox uses it without DNS. */
    readonly address: string,
  ) {}

  static async start(docker: Docker, options: EgressProxyOptions): Promise<EgressProxy> {
    await ensureImagePresent(docker, options.image).catch((error: unknown) => {
      throw new SandboxError(
        "image-missing",
        `The allowlist proxy image ${options.image} is not built on this machine: run \`bash runner-image/egress-proxy/build.sh\`.`,
        { cause: error },
      );
    });
    const suffix = randomBytes(4).toString("hex");
    const networkName = `inhouse-net-${options.taskId}-${suffix}`;
    const labels = { ...options.labels, [LABEL_ROLE]: "egress" };
    const network = await docker.createNetwork({
      Name: networkName,
      Driver: "bridge",
      Internal: true,
      CheckDuplicate: true,
      // No address on the host's side of the bridge: the runner's own services (anything listening
      // on 0.0.0.0) stay out of reach; containers on the network still reach each other.
      Options: { "com.docker.network.bridge.inhibit_ipv4": "true" },
      Labels: labels,
    });
    let container: Docker.Container | undefined;
    try {
      container = await docker.createContainer(proxySpec(options, networkName, suffix, labels));
      await container.start();
      await docker.getNetwork("bridge").connect({ Container: container.id });
      const info = await container.inspect();
      const address = info.NetworkSettings.Networks[networkName]?.IPAddress;
      if (!address) throw new SandboxError("network-unavailable", "The allowlist proxy got no address.");
      const proxy = new EgressProxy(network, networkName, container, address);
      await proxy.waitUntilReady();
      return proxy;
    } catch (error) {
      await container?.remove({ force: true }).catch(() => undefined);
      await network.remove().catch(() => undefined);
      throw error;
    }
  }

  get url(): string {
    return `http://${this.address}:${PROXY_PORT}`;
  }

  /** What a sandbox process needs to use the proxy; loopback stays direct. */
  environment(): Record<string, string> {
    const noProxy = "localhost,127.0.0.1,::1";
    return {
      HTTP_PROXY: this.url,
      HTTPS_PROXY: this.url,
      http_proxy: this.url,
      https_proxy: this.url,
      NO_PROXY: noProxy,
      no_proxy: noProxy,
    };
  }

  /** Requests refused so far, by host, from the proxy's access log. */
  async report(): Promise<EgressReport> {
    if (this.removed) return { blocked: [] };
    return countBlocked(await this.logs("stdout"));
  }

  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    await this.container.remove({ force: true }).catch((error: unknown) => {
      if (statusCodeOf(error) !== 404) throw error;
    });
    await this.network.remove().catch((error: unknown) => {
      if (statusCodeOf(error) !== 404) throw error;
    });
  }

  private async logs(stream: "stdout" | "stderr"): Promise<string> {
    const raw = (await this.container.logs({
      stdout: stream === "stdout",
      stderr: stream === "stderr",
      follow: false,
    })) as unknown as Buffer;
    return demultiplex(raw);
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const errors = await this.logs("stderr");
      if (errors.includes(READY_LINE)) return;
      const state = (await this.container.inspect()).State;
      if (!state.Running || Date.now() > deadline) {
        throw new SandboxError(
          "network-unavailable",
          `The allowlist proxy did not start (${state.Running ? "no answer in 30 s" : `exit ${state.ExitCode}`}): ${errors.trim().slice(-600)}. Check sandbox.allowlist in .github/agent.yml.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100)); // squid has no readiness signal to await
    }
  }
}

function proxySpec(
  options: EgressProxyOptions,
  networkName: string,
  suffix: string,
  labels: Record<string, string>,
): Docker.ContainerCreateOptions {
  return {
    name: `inhouse-proxy-${options.taskId}-${suffix}`,
    Image: options.image,
    Env: [`INHOUSE_SQUID_CONF=${squidConfig(options.allowlist, { internalRanges: options.internalRanges })}`],
    Labels: labels,
    HostConfig: {
      NetworkMode: networkName,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      ReadonlyRootfs: true,
      Tmpfs: { "/tmp": "rw,nosuid,nodev,noexec,size=64m" },
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      PidsLimit: 64,
      Init: true,
    },
  };
}

/** Docker's log stream without a TTY is framed like the attach stream. */
function demultiplex(raw: Buffer): string {
  const chunks: Buffer[] = [];
  new FrameDemuxer((_, chunk) => chunks.push(chunk)).push(raw);
  return Buffer.concat(chunks).toString("utf8");
}

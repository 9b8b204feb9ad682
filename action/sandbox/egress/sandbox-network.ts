/**
 * Which network a running sandbox is on, and the switch between profiles: `none` is no network
 * (loopback only), `open` the default bridge, `allowlist` the task's internal network whose only
 * way out is the egress proxy (started the first time it is needed, removed with the sandbox).
 * Docker connects and disconnects a running container, so setup commands can run under a wider
 * profile than the agent's turns without a new container.
 */
import type Docker from "dockerode";
import type { EgressReport } from "./egress-log.ts";
import { EgressProxy, type EgressProxyOptions } from "./egress-proxy.ts";

/** How a sandbox reaches the network: not at all, through the allowlist proxy, or directly. */
export type NetworkMode = "none" | "allowlist" | "open";

export const PROXY_ENV_NAMES = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "http_proxy",
  "https_proxy",
  "NO_PROXY",
  "no_proxy",
];

export class SandboxNetwork {
  private proxy: EgressProxy | undefined;
  /** The Docker network the container is connected to; undefined after a switch to none. */
  private attached: string | undefined;
  private lastReport: EgressReport = { blocked: [] };

  constructor(
    private readonly docker: Docker,
    private readonly proxyOptions: EgressProxyOptions,
    /** The mode the container was created with (see `dockerNetworkMode`). */
    private current: NetworkMode,
  ) {}

  get mode(): NetworkMode {
    return this.current;
  }

  /** Starts the proxy before the container exists, when the sandbox starts under `allowlist`. */
  async prepare(): Promise<void> {
    if (this.current === "allowlist") await this.ensureProxy();
  }

  /** The value of HostConfig.NetworkMode for the container's first network. */
  dockerNetworkMode(): string {
    this.attached = this.networkFor(this.current);
    return this.attached;
  }

  /** Proxy variables for the shell under `allowlist`; an empty record otherwise. */
  environment(): Record<string, string> {
    return this.current === "allowlist" && this.proxy ? this.proxy.environment() : {};
  }

  async switchTo(container: Docker.Container, mode: NetworkMode): Promise<void> {
    if (mode === this.current) return;
    if (mode === "allowlist") await this.ensureProxy();
    if (this.attached) {
      await this.docker.getNetwork(this.attached).disconnect({ Container: container.id, Force: true });
      this.attached = undefined;
    }
    if (mode !== "none") {
      const target = this.networkFor(mode);
      await this.docker.getNetwork(target).connect({ Container: container.id });
      this.attached = target;
    }
    this.current = mode;
  }

  async report(): Promise<EgressReport> {
    if (this.proxy) this.lastReport = await this.proxy.report();
    return this.lastReport;
  }

  /** Keeps the last report readable after teardown. */
  async remove(): Promise<void> {
    if (!this.proxy) return;
    await this.report().catch(() => undefined);
    const proxy = this.proxy;
    this.proxy = undefined;
    await proxy.remove();
  }

  private networkFor(mode: NetworkMode): string {
    if (mode === "allowlist") return this.proxy!.networkName;
    return mode === "open" ? "bridge" : "none";
  }

  private async ensureProxy(): Promise<EgressProxy> {
    this.proxy ??= await EgressProxy.start(this.docker, this.proxyOptions);
    return this.proxy;
  }
}

/** `Sandbox` on a real Docker engine: a hardened container driven through one persistent shell. */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import { hardenedContainerSpec, LABEL_INSTANCE, SANDBOX_CA_BUNDLE, sandboxLabels } from "./container-spec.ts";
import { type EgressReport, PROXY_ENV_NAMES, SandboxNetwork } from "./egress/index.ts";
import { connectDocker, ensureImagePresent, statusCodeOf } from "./engine/docker-connection.ts";
import { SandboxError, type SandboxErrorCode } from "./engine/errors.ts";
import { parseSandboxOptions, type SandboxSettings } from "./options.ts";
import { PersistentShell } from "./persistent-shell.ts";
import { ensureRuntimeAvailable } from "./runtimes.ts";
import { AFTER_SEED_SCRIPT, putTreeArchive } from "./seed.ts";
import { attachShell } from "./shell-attach.ts";
import { type SandboxProcess, spawnInContainer } from "./spawn-process.ts";
import type { ExecOptions, ExecResult, NetworkMode, Sandbox, SandboxOptions } from "./types.ts";
import { resolveWorkspacePath, WORKSPACE_DIR } from "./workspace-path.ts";

/** A patch can be large; it must come out whole, never head+tail truncated. */
const DIFF_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Hygiene, not the guarantee (the host judges what git stages from this patch, see
 * action/publish/judge-change.ts): the model's shell may have moved PATH or GIT_DIR, written a
 * global git config, or set diff drivers, text conversion, prefixes or relative paths in the
 * workspace's config. The patch is made by the image's git, in a clean environment, with every
 * output-shaping feature pinned, in a subshell so the model's shell keeps its state.
 */
const DIFF_SCRIPT = [
  "(cd /workspace && exec /usr/bin/env -i PATH=/usr/bin:/bin HOME=/nonexistent GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null",
  'sh -c \'G="/usr/bin/git -c core.hooksPath=/dev/null -c core.quotePath=true -c diff.noprefix=false -c diff.mnemonicPrefix=false -c diff.relative=false";',
  "$G add -A && $G diff --cached --binary --full-index --no-ext-diff --no-textconv --no-color --src-prefix=a/ --dst-prefix=b/ -M HEAD')",
].join(" ");

function singleQuoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export class DockerSandbox implements Sandbox {
  readonly workdir = WORKSPACE_DIR;
  private destroyed = false;

  private constructor(
    private readonly container: Docker.Container,
    private readonly volumeName: string,
    private readonly docker: Docker,
    private readonly settings: SandboxSettings,
    private readonly network: SandboxNetwork,
    private shell: PersistentShell | undefined,
  ) {}

  get containerId(): string {
    return this.container.id;
  }

  static async create(options: SandboxOptions = {}, docker?: Docker): Promise<DockerSandbox> {
    const settings = parseSandboxOptions(options);
    const engine = await connectDocker(docker);
    await ensureImagePresent(engine, settings.image);
    await ensureRuntimeAvailable(engine, settings.runtime, settings.network);
    const suffix = randomBytes(4).toString("hex");
    settings.labels = { ...settings.labels, [LABEL_INSTANCE]: suffix };
    const names = {
      container: `inhouse-${settings.taskId}-${suffix}`,
      volume: `inhouse-ws-${settings.taskId}-${suffix}`,
    };
    const createdAt = Date.now();
    const network = new SandboxNetwork(
      engine,
      {
        image: settings.proxyImage,
        allowlist: settings.allowlist,
        internalRanges: settings.internalRanges,
        taskId: settings.taskId,
        labels: sandboxLabels(settings, createdAt),
      },
      settings.network,
    );
    await network.prepare();
    const container = await engine
      .createContainer(hardenedContainerSpec(settings, names, createdAt, network.dockerNetworkMode()))
      .catch(async (error: unknown) => {
        await network.remove().catch(() => undefined);
        throw error;
      });
    const sandbox = new DockerSandbox(container, names.volume, engine, settings, network, undefined);
    await sandbox.open(async () => {
      // Attached before the start, as `docker run -i` does, so the shell's first output is ours.
      const stream = await attachShell(container);
      await container.start();
      return stream;
    });
    return sandbox;
  }

  /**
   * Takes over a running sandbox that was booted ahead of need (see `pool/`) and never attached:
   * its shell learns this host's nonce, then the sandbox is this task's alone.
   */
  static async adopt(
    engine: Docker,
    container: Docker.Container,
    booted: { volume: string; instance: string },
    taskSettings: SandboxSettings,
  ): Promise<DockerSandbox> {
    // A proxy started later (a switch to allowlist) is labelled as this task's and this instance's.
    const settings = {
      ...taskSettings,
      labels: { ...taskSettings.labels, [LABEL_INSTANCE]: booted.instance },
    };
    const network = new SandboxNetwork(
      engine,
      {
        image: settings.proxyImage,
        allowlist: settings.allowlist,
        taskId: settings.taskId,
        labels: sandboxLabels(settings, Date.now()),
      },
      settings.network,
    );
    network.dockerNetworkMode();
    const sandbox = new DockerSandbox(container, booted.volume, engine, settings, network, undefined);
    await sandbox.open(() => attachShell(container));
    return sandbox;
  }

  /** Connects the shell, then what every sandbox gets before its first command; destroyed on failure. */
  private async open(attach: () => Promise<Duplex>): Promise<void> {
    try {
      this.shell = await PersistentShell.connect(await attach(), () => this.describeLoss());
      if (this.settings.caBundlePath) await this.installCaBundle(this.settings.caBundlePath);
      if (this.settings.network === "allowlist") await this.exportProxyEnvironment();
    } catch (error) {
      await this.destroy();
      throw error;
    }
  }

  get networkMode(): NetworkMode {
    return this.network.mode;
  }

  async setNetwork(mode: NetworkMode): Promise<void> {
    this.liveShell();
    const before = this.network.mode;
    await ensureRuntimeAvailable(this.docker, this.settings.runtime, mode);
    await this.network.switchTo(this.container, mode);
    if (mode === "allowlist" || before === "allowlist") await this.exportProxyEnvironment();
  }

  async spawn(
    argv: string[],
    options: { env?: Record<string, string>; cwd?: string } = {},
  ): Promise<SandboxProcess> {
    this.liveShell();
    return spawnInContainer(this.container, argv, {
      ...options,
      env: { ...this.settings.env, ...options.env },
      pidFile: `/tmp/.inhouse-process-${randomBytes(6).toString("hex")}.pid`,
      kill: async (file) => {
        await this.exec(
          `kill -TERM "$(cat ${file})" 2>/dev/null; sleep 0.5; kill -KILL "$(cat ${file})" 2>/dev/null; true`,
          {
            timeoutMs: 5_000,
          },
        );
      },
    });
  }

  async egressReport(): Promise<EgressReport> {
    return this.network.report();
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const oneOff: string[] = [];
    if (options.cwd !== undefined) oneOff.push(`cd -- ${singleQuoted(options.cwd)} || exit 1`);
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new SandboxError(
          "invalid-command",
          `Environment name ${JSON.stringify(name)} is not a shell identifier.`,
        );
      }
      oneOff.push(`export ${name}=${singleQuoted(value)}`);
    }
    return this.liveShell().run({
      script: [...oneOff, command].join("\n"),
      timeoutMs: options.timeoutMs ?? this.settings.defaultTimeoutMs,
      graceMs: this.settings.killGraceMs,
      // cwd/env options apply to this one command, so its end state is not carried forward.
      persist: oneOff.length === 0,
      maxOutputBytes: options.maxOutputBytes ?? this.settings.maxOutputBytes,
    });
  }

  async readFile(path: string): Promise<Buffer> {
    const absolute = resolveWorkspacePath(path);
    const { problem, content } = await this.liveShell().get(absolute);
    if (problem) throw fileError(problem, path);
    return content;
  }

  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    const absolute = resolveWorkspacePath(path);
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    const problem = await this.liveShell().put(absolute, bytes);
    if (problem) throw fileError(problem, path);
  }

  async seed(treeDir: string): Promise<void> {
    await putTreeArchive(this.container, treeDir);
    const result = await this.exec(AFTER_SEED_SCRIPT, { timeoutMs: 120_000 });
    if (result.exitCode !== 0) {
      throw new SandboxError("seed-failed", `Preparing the seeded tree failed: ${result.stderr.trim()}`);
    }
  }

  async diff(): Promise<string> {
    const result = await this.exec(DIFF_SCRIPT, {
      timeoutMs: 300_000,
      maxOutputBytes: DIFF_MAX_BYTES,
    });
    if (result.exitCode !== 0 || result.truncated) {
      throw new SandboxError(
        "diff-failed",
        result.truncated
          ? `The patch exceeds ${DIFF_MAX_BYTES} bytes; the change is too large to hand back.`
          : `git diff failed in the sandbox (exit ${result.exitCode}): ${result.stderr.trim()}`,
      );
    }
    return result.stdout;
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.shell?.close();
    await this.container.remove({ force: true, v: true }).catch((error: unknown) => {
      if (statusCodeOf(error) !== 404) throw error;
    });
    await this.docker
      .getVolume(this.volumeName)
      .remove()
      .catch(() => undefined); // already removed with the container, or never created
    await this.network.remove();
  }

  private liveShell(): PersistentShell {
    if (this.destroyed || !this.shell) {
      throw new SandboxError("container-gone", "This sandbox was destroyed; create a new one.");
    }
    return this.shell;
  }

  /**
   * The shell's proxy variables follow the profile: the egress proxy under allowlist; otherwise
   * whatever the caller's `env` option set (a company proxy under `open`), or nothing.
   */
  private async exportProxyEnvironment(): Promise<void> {
    const own = Object.entries(this.settings.env).filter(([name]) => PROXY_ENV_NAMES.includes(name));
    const env = this.network.mode === "allowlist" ? Object.entries(this.network.environment()) : own;
    const script = [
      `unset ${PROXY_ENV_NAMES.join(" ")}`,
      ...env.map(([name, value]) => `export ${name}=${singleQuoted(value)}`),
    ].join("\n");
    const result = await this.exec(script, { timeoutMs: 30_000 });
    if (result.exitCode !== 0) {
      throw new SandboxError(
        "network-unavailable",
        `Setting the proxy variables failed: ${result.stderr.trim()}`,
      );
    }
  }

  private async installCaBundle(hostPath: string): Promise<void> {
    const pem = await readFile(hostPath, "utf8").catch((error: unknown) => {
      throw new SandboxError("invalid-options", `Cannot read caBundlePath ${hostPath}: ${String(error)}`);
    });
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
      throw new SandboxError("invalid-options", `caBundlePath ${hostPath} holds no PEM certificate.`);
    }
    // The sandbox trusts its own bundle plus the given one: the combined file is what the env points at.
    const script = [
      `mkdir -p ${SANDBOX_CA_BUNDLE.replace(/\/[^/]+$/, "")}`,
      `{ cat /etc/ssl/certs/ca-certificates.crt; cat <<'__INHOUSE_PEM__'`,
      pem.trimEnd(),
      "__INHOUSE_PEM__",
      `} > ${SANDBOX_CA_BUNDLE}`,
    ].join("\n");
    const result = await this.exec(script, { timeoutMs: 30_000 });
    if (result.exitCode !== 0) {
      throw new SandboxError("invalid-options", `Installing the CA bundle failed: ${result.stderr.trim()}`);
    }
  }

  private async describeLoss(): Promise<SandboxError> {
    const state = await this.container
      .inspect()
      .then((info) => info.State)
      .catch(() => undefined);
    const how = !state
      ? "the container no longer exists (removed from outside?)"
      : state.OOMKilled
        ? "the container ran out of memory and was killed"
        : state.Running
          ? "the connection to its shell dropped (did the Docker daemon restart?)"
          : `the container stopped (exit ${state.ExitCode}${state.Error ? `, ${state.Error}` : ""}): its shell ended or it was killed from outside`;
    return new SandboxError(
      "container-gone",
      `Sandbox ${this.container.id.slice(0, 12)} is gone: ${how}. Start a new sandbox.`,
    );
  }
}

function fileError(problem: string, path: string): SandboxError {
  const messages: Record<string, [SandboxErrorCode, string]> = {
    "path-refused": ["path-refused", "it resolves outside /workspace (a symlink pointing out of it?)"],
    "file-not-found": ["file-not-found", "no such file"],
    "not-a-file": ["not-a-file", "it is a directory or a special file, not a regular file"],
  };
  const [code, why] = messages[problem] ?? [
    "file-io",
    "reading or writing it failed (permissions? disk full?)",
  ];
  return new SandboxError(code, `File ${JSON.stringify(path)}: ${why}.`);
}

/** Creates, starts and connects a hardened sandbox; `destroy()` it when the task ends. */
export function createSandbox(options: SandboxOptions = {}, docker?: Docker): Promise<DockerSandbox> {
  return DockerSandbox.create(options, docker);
}

import { homedir } from "node:os";
import { join } from "node:path";
import { formatErrors } from "../../core/result.ts";
import { DEFAULT_IMAGE } from "../sandbox/options.ts";
import { checkInputs, INPUT_NAMES } from "./action-inputs.ts";
import { type RunEnvironment, runEnvironment } from "./run-environment.ts";

/** Where the run's GitHub token comes from (action inputs app-url, app-private-key-file, github-token). */
export type TokenChoice = { appUrl: string } | { privateKeyFile: string } | { githubToken: string };

/** What to run: the App's task, or an automation the action builds a task for from the run's event. */
export type TaskSource =
  | { kind: "task"; json: string }
  | { kind: "automation"; name: string; repository: { owner: string; name: string } };

export interface Settings {
  source: TaskSource;
  /** Where the token comes from: the App's token exchange (app-url), the App's key on the runner host, or a token input. */
  token: TokenChoice;
  /** The inhouse App whose status comments (and bot) authenticate a task. */
  appId: number;
  /** Remote MCP servers the runner allows (a file on the runner). */
  mcpServersFile?: string;
  model: {
    profilesFile?: string;
    overrides: { baseUrl?: string; apiKey?: string; model?: string };
  };
  cacheDir: string;
  auditDir: string;
  caBundlePath?: string;
  /** What the runner's administrator allows; repository config is capped by these. */
  caps: {
    turns: number;
    tokens: number;
    minutes: number;
    callsPerTurn: number;
    memoryMb: number;
    cpus: number;
    /** Processes and threads in the sandbox (`sandbox.pids`): the fork-bomb ceiling. */
    pids: number;
    /** Money one task may spend (max-task-cost); needs a price on the model profile. */
    cost?: number;
    networks: ("none" | "allowlist" | "open")[];
    /** Hosts the allowlist proxy always lets through; when set, the only ones a repository may add. */
    egressHosts: string[];
    /** Private ranges (CIDR) the allowlist proxy may reach; every other private destination is refused. */
    egressInternalRanges: string[];
    /** Sandbox images a repository may name (`sandbox.image`): the runner's `image` first, then `allowed-images`. */
    images: string[];
    /** Container runtimes: the runner's default (undefined = the daemon's, runc) and what a repository may choose. */
    runtimes: { default?: string; allowed: string[] };
  };
  patch: { maxBytes: number; maxFiles: number };
  /** Commit author inputs; unset parts are the App's bot and its noreply address (`publish/commit-author.ts`). */
  author: { name?: string; email?: string };
  statusIntervalMs: number;
  /** A GitHub API request unanswered this long is abandoned and retried as its kind allows. */
  githubTimeoutMs: number;
  /** Warm sandboxes the runner keeps per image and sandbox profile (0 = every task creates its own). */
  sandboxPool: number;
  env: RunEnvironment;
}

export class SettingsError extends Error {
  override name = "SettingsError";
}

const REPOSITORY = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

/** Exactly one of `task` (the agent workflow) and `automation` (the automations workflow). */
function taskSource(
  task: string | undefined,
  automation: string | undefined,
  repository: string,
): TaskSource {
  if (task) return { kind: "task", json: task };
  const match = REPOSITORY.exec(repository);
  if (!match) {
    throw new SettingsError(
      `invalid action inputs:\nrepository: ${JSON.stringify(repository)} is not owner/name; leave it empty for the workflow's own repository`,
    );
  }
  return { kind: "automation", name: automation!, repository: { owner: match[1]!, name: match[2]! } };
}

/**
 * All inputs, parsed once. `mask` is called for every credential before anything else can log it.
 */
export function parseSettings(
  read: (name: string) => string,
  mask: (secret: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const raw: Record<string, string> = Object.fromEntries(INPUT_NAMES.map((name) => [name, read(name)]));
  for (const secret of [raw["github-token"], raw["model-api-key"]]) if (secret?.trim()) mask(secret.trim());
  const checked = checkInputs(raw);
  if (!checked.ok) throw new SettingsError(`invalid action inputs:\n${formatErrors(checked.errors)}`);
  const i = checked.inputs;
  const runEnv = runEnvironment(env);
  const source = taskSource(i.task, i.automation, i.repository ?? runEnv.repository);
  const cacheRoot = env.RUNNER_TOOL_CACHE
    ? join(env.RUNNER_TOOL_CACHE, "inhouse")
    : join(homedir(), ".cache", "inhouse");
  return {
    source,
    appId: i["app-id"],
    ...(i["mcp-servers-file"] ? { mcpServersFile: i["mcp-servers-file"] } : {}),
    token: i["app-url"]
      ? { appUrl: i["app-url"] }
      : i["app-private-key-file"]
        ? { privateKeyFile: i["app-private-key-file"] }
        : { githubToken: i["github-token"]! },
    model: {
      profilesFile: i["model-profiles-file"],
      overrides: { baseUrl: i["model-base-url"], apiKey: i["model-api-key"], model: i["model-name"] },
    },
    cacheDir: i["cache-dir"] ?? cacheRoot,
    auditDir: i["audit-dir"] ?? join(runEnv.runnerTemp, "inhouse-audit"),
    caBundlePath: i["ca-bundle"],
    caps: {
      turns: i["max-turns"],
      tokens: i["max-tokens"],
      minutes: i["max-minutes"],
      callsPerTurn: i["max-calls-per-turn"],
      memoryMb: i["max-memory-mb"],
      cpus: i["max-cpus"],
      pids: i["max-pids"],
      ...(i["max-task-cost"] !== undefined ? { cost: i["max-task-cost"] } : {}),
      networks: i["allowed-networks"],
      egressHosts: i["egress-hosts"],
      egressInternalRanges: i["egress-internal-ranges"],
      images: [i.image ?? DEFAULT_IMAGE, ...i["allowed-images"]],
      runtimes: {
        ...(i["sandbox-runtime"] ? { default: i["sandbox-runtime"] } : {}),
        allowed: i["allowed-runtimes"],
      },
    },
    patch: { maxBytes: i["max-patch-bytes"], maxFiles: i["max-changed-files"] },
    author: { name: i["author-name"], email: i["author-email"] },
    statusIntervalMs: i["status-interval-seconds"] * 1000,
    githubTimeoutMs: i["github-timeout-seconds"] * 1000,
    sandboxPool: i["sandbox-pool"],
    env: runEnv,
  };
}

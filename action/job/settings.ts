import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { type FieldError, formatErrors } from "../../core/result.ts";
import { toFieldErrors } from "../../core/zod-errors.ts";
import { parseInternalRanges } from "../sandbox/egress/private-ranges.ts";
import { DEFAULT_IMAGE } from "../sandbox/options.ts";
import { RUNTIME_NAME } from "../sandbox/runtimes.ts";

/** Where the run's GitHub token comes from (action inputs app-url, app-private-key-file, github-token). */
export type TokenChoice = { appUrl: string } | { privateKeyFile: string } | { githubToken: string };

/** The largest change the action publishes by default (inputs max-patch-bytes, max-changed-files); the CLI's limits. */
export const DEFAULT_PATCH_LIMITS = { maxBytes: 1_000_000, maxFiles: 200 };

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .transform((v) => (v === "" ? fallback : Number(v)))
    .pipe(z.number().int().positive());

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v));

const networkList = z
  .string()
  .trim()
  .transform((v) => (v === "" ? "none" : v).split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.enum(["none", "allowlist", "open"])).min(1));

const AUTOMATION_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Action inputs as `core.getInput` returns them: strings, empty when unset. */
export const InputsSchema = z.object({
  /** The App's task JSON; empty in the automations workflow, which names an automation instead. */
  task: optionalText,
  /** A scheduled or manually dispatched automation (`automations.tasks.<name>`): the action builds the task. */
  automation: optionalText,
  /** Repository an automation runs on (owner/name); default the workflow's own (central runner repositories set it). */
  repository: optionalText,
  "github-token": optionalText,
  /** The App's private key as a file on the runner host (never a repository secret): the action mints the task token. */
  "app-private-key-file": optionalText,
  "app-url": optionalText.pipe(
    z
      .url({
        error: "app-url must be the inhouse App's address, e.g. https://inhouse.example.com (its PUBLIC_URL)",
      })
      .optional(),
  ),
  "app-id": z
    .string()
    .trim()
    .min(
      1,
      "app-id is empty; set it to the inhouse App's numeric id (the App's settings page, or vars.INHOUSE_APP_ID): the action runs only tasks that App dispatched",
    )
    .transform(Number)
    .pipe(z.number({ error: "app-id must be the App's numeric id, e.g. 123456" }).int().positive()),
  "model-base-url": optionalText,
  "model-api-key": optionalText,
  "model-name": optionalText,
  "model-profiles-file": optionalText,
  "mcp-servers-file": optionalText,
  image: optionalText,
  "cache-dir": optionalText,
  "audit-dir": optionalText,
  "ca-bundle": optionalText,
  "max-turns": positiveInt(100),
  "max-tokens": positiveInt(5_000_000),
  "max-minutes": positiveInt(60),
  "max-calls-per-turn": positiveInt(50),
  "max-memory-mb": positiveInt(8192),
  "max-cpus": z
    .string()
    .trim()
    .transform((v) => (v === "" ? 4 : Number(v)))
    .pipe(z.number().positive().max(64)),
  "max-pids": positiveInt(4096),
  "max-task-cost": z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : Number(v)))
    .pipe(
      z
        .number({ error: "max-task-cost must be a number, e.g. 2.50 (in the unit of the profiles' prices)" })
        .min(0)
        .optional(),
    ),
  "allowed-networks": networkList,
  "egress-hosts": z
    .string()
    .trim()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean)),
  "egress-internal-ranges": z
    .string()
    .trim()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .superRefine((ranges, context) => {
      try {
        parseInternalRanges(ranges);
      } catch (error) {
        context.addIssue({
          code: "custom",
          message: (error as Error).message.replace(/^egress-internal-ranges: /, ""),
        });
      }
    }),
  "allowed-images": z
    .string()
    .trim()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean)),
  "sandbox-runtime": optionalText.pipe(
    z
      .string()
      .regex(RUNTIME_NAME, "sandbox-runtime is a runtime registered with dockerd, such as runsc")
      .optional(),
  ),
  "allowed-runtimes": z
    .string()
    .trim()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(
      z.array(z.string().regex(RUNTIME_NAME, "allowed-runtimes lists runtime names, such as runsc, runc")),
    ),
  "max-patch-bytes": positiveInt(DEFAULT_PATCH_LIMITS.maxBytes),
  "max-changed-files": positiveInt(DEFAULT_PATCH_LIMITS.maxFiles),
  "author-name": optionalText,
  "author-email": optionalText,
  "status-interval-seconds": positiveInt(15),
  "github-timeout-seconds": positiveInt(30),
  "sandbox-pool": z
    .string()
    .trim()
    .transform((v) => (v === "" ? 1 : Number(v)))
    .pipe(
      z
        .number()
        .int()
        .min(0, "sandbox-pool is how many sandboxes to keep warm per profile: 0 (off) or more")
        .max(16, "sandbox-pool keeps at most 16 warm sandboxes per profile"),
    ),
});

/** One of `task` and `automation`, never both: the two workflows, each with its own way to name the work. */
function sourceErrors(task: string, automation: string): FieldError[] {
  if (task && automation) {
    return [
      {
        path: "automation",
        message:
          "set either task (the App's dispatch, agent.yml) or automation (a scheduled run, agent-automations.yml), not both",
      },
    ];
  }
  if (!task && !automation) {
    return [
      {
        path: "task",
        message:
          "the task input is empty; the agent workflow passes inputs.task through with:, the automations workflow passes automation: <a name under automations.tasks> instead",
      },
    ];
  }
  if (automation && !AUTOMATION_NAME.test(automation)) {
    return [
      {
        path: "automation",
        message: `${JSON.stringify(automation)} is not an automation name (lowercase letters, digits, '-'), as written under automations.tasks in .github/agent.yml`,
      },
    ];
  }
  return [];
}

export const INPUT_NAMES = Object.keys(InputsSchema.shape) as (keyof typeof InputsSchema.shape)[];

/** The run's environment, as the runner sets it. */
export interface RunEnvironment {
  serverUrl: string;
  apiUrl: string;
  /** Repository the workflow runs in (the target, or a central runner repository). */
  repository: string;
  runId: number;
  /** What started this run, as the runner reports it (never the task text): the authenticity check reads it. */
  event: string;
  /** Who started it (`GITHUB_TRIGGERING_ACTOR`): the App's bot for every task the App dispatched. */
  triggeringActor: string;
  runnerName: string;
  runnerTemp: string;
  runAttempt: number;
}

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

function runEnvironment(env: NodeJS.ProcessEnv): RunEnvironment {
  const serverUrl = (env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/+$/, "");
  return {
    serverUrl,
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    repository: env.GITHUB_REPOSITORY ?? "",
    runId: Number(env.GITHUB_RUN_ID ?? 0),
    event: env.GITHUB_EVENT_NAME ?? "",
    triggeringActor: env.GITHUB_TRIGGERING_ACTOR ?? env.GITHUB_ACTOR ?? "",
    runnerName: env.RUNNER_NAME ?? "this runner",
    runnerTemp: env.RUNNER_TEMP ?? tmpdir(),
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? 1),
  };
}

/**
 * All inputs, parsed once. `mask` is called for every credential before anything else can log it.
 */
export function parseSettings(
  read: (name: string) => string,
  mask: (secret: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, read(name)]));
  for (const secret of [raw["github-token"], raw["model-api-key"]]) if (secret?.trim()) mask(secret.trim());
  const parsed = InputsSchema.superRefine((inputs, context) => {
    const chosen = (["app-url", "app-private-key-file", "github-token"] as const).filter(
      (name) => inputs[name],
    );
    if (chosen.length !== 1) {
      context.addIssue({
        code: "custom",
        path: ["app-url"],
        message: `set app-url (the inhouse App's address: the job trades its OIDC token there for a task token; needs permissions: id-token: write) or, where runners cannot reach the App, app-private-key-file (the App's key as a file on the runner host) or github-token; exactly one${chosen.length > 1 ? `, not ${chosen.join(" and ")}` : ""}`,
      });
    }
  }).safeParse(raw);
  const errors = [
    ...sourceErrors(raw.task?.trim() ?? "", raw.automation?.trim() ?? ""),
    ...(parsed.success ? [] : toFieldErrors(parsed.error)),
  ];
  if (!parsed.success || errors.length > 0) {
    throw new SettingsError(`invalid action inputs:\n${formatErrors(errors)}`);
  }
  const i = parsed.data;
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

import { z } from "zod";
import { GLOB_LIMITS, globProblem } from "./glob.ts";
import { codeChangingMinimums } from "./permissions.ts";
import { RUNTIME_NAME } from "./runtime-name.ts";

const commandList = z
  .union([z.string().min(1), z.array(z.string().min(1))])
  .transform((v) => (Array.isArray(v) ? v : [v]));
const networkMode = z.enum(["none", "allowlist", "open"]);
/** A path glob (core/glob.ts): a slow or misread pattern is refused here, with its place in the file. */
const pathGlob = z
  .string()
  .min(1)
  .max(GLOB_LIMITS.patternChars)
  .superRefine((pattern, context) => {
    const problem = globProblem(pattern);
    if (problem)
      context.addIssue({ code: "custom", message: `the pattern ${JSON.stringify(pattern)} ${problem}` });
  });
const hostName = z
  .string()
  .regex(/^(\*\.)?[A-Za-z0-9.-]+(:\d+)?$/, "expected a host name such as registry.npmjs.org");

/** Setup commands may need the network (installs) while the agent's turns do not: one mode each. */
const networkForms = z.union(
  [networkMode, z.strictObject({ setup: networkMode.optional(), agent: networkMode.optional() })],
  { error: "expected none, allowlist or open, or { setup: <mode>, agent: <mode> } to set each phase" },
);
type NetworkForm = z.infer<typeof networkForms>;
const bothPhases = (v: NetworkForm) =>
  typeof v === "string" ? { setup: v, agent: v } : { setup: v.setup ?? "none", agent: v.agent ?? "none" };
const networkProfile = networkForms.default("none").transform(bothPhases);

/** `<server>__<tool>` must split one way: no underscore in a server name. */
export const mcpServerName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,30}$/,
    "expected a server name (lowercase letters, digits, '-'), such as docs",
  );
/**
 * An MCP server for the agent: a command run inside the sandbox over stdio (under the sandbox's
 * network profile), or the name of a remote server the runner allows. Never a URL or a header.
 */
const mcpServer = z
  .strictObject({
    command: z.array(z.string().min(1)).min(1).max(50).optional(),
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "env names are shell identifiers"), z.string())
      .optional(),
    remote: mcpServerName.optional(),
  })
  .superRefine((server, context) => {
    if ((server.command === undefined) === (server.remote === undefined)) {
      context.addIssue({
        code: "custom",
        message:
          "give either command (a stdio server run in the sandbox, e.g. [node, tools/mcp.js]) or remote (the name of a server the runner allows)",
      });
    }
    if (server.remote !== undefined && server.env !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["env"],
        message: "env applies to a command, not to a remote server",
      });
    }
  });
const mcpServers = z
  .record(mcpServerName, mcpServer, {
    error: (issue) =>
      issue.code === "invalid_key"
        ? "expected a server name (lowercase letters, digits, '-'), such as docs"
        : undefined,
  })
  .default({});

const profileName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, "expected a profile name defined by the runner's administrator");

/** Bounds of each limit; the top-level `limits` gives defaults, an automation may set any of them. */
const limitFields = {
  turns: z.int().min(1).max(500),
  tokens: z.int().min(1_000).max(50_000_000),
  minutes: z.int().min(1).max(360),
  /** Tool calls one model reply may run; the rest are answered "not run". */
  callsPerTurn: z.int().min(1).max(200),
};

const sandboxFields = {
  image: z.string().min(1),
  runtime: z.string().regex(RUNTIME_NAME, "expected a runtime name such as runsc, kata or sysbox-runc"),
  allowlist: z.array(hostName),
  memoryMb: z.int().min(256).max(262_144),
  cpus: z.number().min(0.25).max(64),
  pids: z.int().min(64).max(65_536),
};

/** What starts an automation: its workflow's schedule (or a manual dispatch), or a merged pull request. */
export const automationEvents = ["schedule", "merged-pull-request"] as const;

/** A failed check on the agent's own PR: how many follow-ups one PR may get. `true` is the default, 2. */
export const DEFAULT_FOLLOW_UPS_PER_PULL = 2;
const fixFailedChecks = z
  .union(
    [
      z.boolean(),
      z.strictObject({
        maxPerPull: z
          .int()
          .min(1, "expected 1 to 10 follow-ups per pull request; turn them off with fixFailedChecks: false")
          .max(10, "expected 1 to 10 follow-ups per pull request")
          .default(DEFAULT_FOLLOW_UPS_PER_PULL),
      }),
    ],
    { error: "expected true, false, or { maxPerPull: <1-10> }" },
  )
  .default(false)
  .transform((v) => (v === false ? false : v === true ? { maxPerPull: DEFAULT_FOLLOW_UPS_PER_PULL } : v));

export const automationName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "expected an automation name (lowercase letters, digits, '-')");

/**
 * A standing job (`automations.tasks.<name>`): what to do, what it produces, and the model, limits
 * and sandbox it runs with where they differ from the repository's (core/automation-config.ts).
 */
const automation = z.strictObject({
  description: z.string().max(500).optional(),
  /**
   * What starts it. `schedule`: the automations workflow (its cron, or a manual dispatch). `merged-pull-request`:
   * the App, when a pull request is merged; the task sees that pull request and opens its own PR.
   */
  event: z
    .enum(automationEvents, {
      error: `expected one of ${automationEvents.join(", ")} (schedule: the automations workflow starts it; merged-pull-request: the App starts it when a pull request is merged)`,
    })
    .default("schedule"),
  instructions: z.string().min(1).max(16_000),
  /**
   * `pull-request`: one open PR per automation, later runs add commits to it. `issue`: findings
   * (file and line) in one open issue per automation, later runs comment on it.
   */
  output: z.enum(["pull-request", "issue"]).default("pull-request"),
  /** MCP servers for this automation's tasks, beside the repository's own. */
  mcp: z.strictObject({ servers: mcpServers }).optional(),
  model: z.strictObject({ profile: profileName }).optional(),
  limits: z
    .strictObject({
      turns: limitFields.turns.optional(),
      tokens: limitFields.tokens.optional(),
      minutes: limitFields.minutes.optional(),
      callsPerTurn: limitFields.callsPerTurn.optional(),
    })
    .optional(),
  sandbox: z
    .strictObject({
      image: sandboxFields.image.optional(),
      runtime: sandboxFields.runtime.optional(),
      network: networkForms.transform(bothPhases).optional(),
      allowlist: sandboxFields.allowlist.optional(),
      memoryMb: sandboxFields.memoryMb.optional(),
      cpus: sandboxFields.cpus.optional(),
      pids: sandboxFields.pids.optional(),
    })
    .optional(),
});

export type AutomationConfig = z.infer<typeof automation>;

export const ConfigSchema = z.strictObject({
  trigger: z
    .strictObject({
      label: z.string().min(1).max(50).default("agent"),
      command: z
        .string()
        .regex(/^\/[a-z][a-z0-9-]{0,30}$/, "expected a slash command such as /agent")
        .default("/agent"),
    })
    .default({ label: "agent", command: "/agent" }),
  permissions: z
    .strictObject({
      minimum: z
        .enum(codeChangingMinimums, {
          error:
            "expected write, maintain or admin; triage and read cannot be minimums for commands that change code",
        })
        .default("write"),
      allowedBots: z.array(z.string().min(1)).default([]),
    })
    .default({ minimum: "write", allowedBots: [] }),
  dispatch: z
    .strictObject({
      repo: z
        .string()
        .regex(
          /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
          "expected owner/name of the repository holding the agent workflow",
        )
        .optional(),
      workflow: z
        .string()
        .regex(/^[\w.-]+\.ya?ml$/, "expected a workflow file name such as agent.yml")
        .default("agent.yml"),
      ref: z.string().min(1).optional(),
    })
    .default({ workflow: "agent.yml" }),
  model: z.strictObject({ profile: profileName.default("default") }).default({ profile: "default" }),
  limits: z
    .strictObject({
      turns: limitFields.turns.default(40),
      tokens: limitFields.tokens.default(2_000_000),
      minutes: limitFields.minutes.default(30),
      callsPerTurn: limitFields.callsPerTurn.default(20),
    })
    .default({ turns: 40, tokens: 2_000_000, minutes: 30, callsPerTurn: 20 }),
  sandbox: z
    .strictObject({
      image: sandboxFields.image.optional(),
      /** Container runtime (runsc, kata, sysbox-runc): only one the runner allows (allowed-runtimes). */
      runtime: sandboxFields.runtime.optional(),
      network: networkProfile,
      allowlist: sandboxFields.allowlist.default([]),
      memoryMb: sandboxFields.memoryMb.default(4096),
      cpus: sandboxFields.cpus.default(2),
      pids: sandboxFields.pids.default(1024),
    })
    .default({
      network: { setup: "none", agent: "none" },
      allowlist: [],
      memoryMb: 4096,
      cpus: 2,
      pids: 1024,
    }),
  commands: z
    .strictObject({
      setup: commandList.default([]),
      test: z.string().min(1).optional(),
      lint: z.string().min(1).optional(),
    })
    .default({ setup: [] }),
  pr: z
    .strictObject({
      branchPrefix: z
        .string()
        .regex(/^[A-Za-z0-9._/-]+\/$/, "expected a branch prefix ending in '/', such as agent/")
        .default("agent/"),
      draftWhenVerificationFails: z.boolean().default(true),
      labels: z.array(z.string().min(1)).default([]),
    })
    .default({ branchPrefix: "agent/", draftWhenVerificationFails: true, labels: [] }),
  protectedPaths: z.array(pathGlob).max(GLOB_LIMITS.patterns).default([".github/workflows/**"]),
  allowProtectedPathChanges: z.boolean().default(false),
  mcp: z.strictObject({ servers: mcpServers }).default({ servers: {} }),
  automations: z
    .strictObject({
      /** `pull_request.opened` / `ready_for_review` by someone at the minimum → a review. */
      reviewPullRequests: z.boolean().default(false),
      /** `issues.opened` by someone at the minimum → a fix (labelling with `trigger.label` always is one). */
      fixNewIssues: z.boolean().default(false),
      /** A failed check run on the agent's own PR → a `/agent fix` follow-up with the failure as context. */
      fixFailedChecks,
      tasks: z.record(automationName, automation).default({}),
    })
    .superRefine((automations, context) => {
      // One status comment per thread at a time (the App's lock): two merge follow-ups would race for it.
      const onMerge = Object.entries(automations.tasks).filter(([, a]) => a.event === "merged-pull-request");
      for (const [name] of onMerge.slice(1)) {
        context.addIssue({
          code: "custom",
          path: ["tasks", name, "event"],
          message: `only one automation may run on merged-pull-request (${onMerge[0]![0]} already does); put both jobs in its instructions`,
        });
      }
    })
    .default({ reviewPullRequests: false, fixNewIssues: false, fixFailedChecks: false, tasks: {} }),
});

export type RepoConfig = z.infer<typeof ConfigSchema>;
export type RepoConfigInput = z.input<typeof ConfigSchema>;

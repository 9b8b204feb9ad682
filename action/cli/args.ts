/** `inhouse run` arguments, parsed once into one typed settings object. */
import { parseArgs } from "node:util";
import { isPostgresUrl } from "../../store/open-postgres.ts";

export const USAGE = `Usage: inhouse run --repo <path> (--task "<text>" | --issue-file <file.md>) [options]
       inhouse eval <harvest|run> [options]   (inhouse eval --help; docs/eval.md)

Runs the agent on a local repository and leaves the result as a new branch agent/local-<slug>
in that repository. Your working tree and current branch are not touched.

Options:
  --repo <path>           Repository to work on (default: current directory)
  --task <text>           What to do; the first line is the title
  --issue-file <file>     Markdown file with the task; a leading "# Title" line is the title
  --profile <name>        Model profile (default: the repository's model.profile, else "default")
  --profiles-file <file>  Model profiles file (YAML or JSON); env INHOUSE_MODEL_PROFILES
  --base-url <url>        OpenAI-compatible endpoint, e.g. http://localhost:8000/v1; env INHOUSE_MODEL_BASE_URL
  --model <name>          Model name; env INHOUSE_MODEL
  --api-key <key>         API key; better: env INHOUSE_MODEL_API_KEY
  --tool-calling <mode>   native, text or auto (default auto)
  --image <name>          Sandbox image (default inhouse-sandbox:latest)
  --test-command <cmd>    Test command (default: .github/agent.yml, AGENTS.md, or the manifest)
  --turns <n> --tokens <n> --minutes <n>   Budgets (default: the repository's limits)
  --audit <file>          Where to write the JSON-lines audit log (default: a temp file)
  --sandbox-pool <n>      Keep n sandboxes warm for the next run while this terminal session lasts
                          (default 0: off); env INHOUSE_SANDBOX_POOL
  --record <url>          Record this run in a team's run history: the PostgreSQL DATABASE_URL of
                          the App, e.g. postgres://user:password@host:5432/inhouse; env INHOUSE_RECORD_URL
  -h, --help              Show this help

inhouse doctor [--json] checks a runner host and prints the fix for each failure (inhouse doctor --help).`;

export interface CliRunOptions {
  repo: string;
  task?: string;
  issueFile?: string;
  profile?: string;
  profilesFile?: string;
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  toolCalling?: "native" | "text" | "auto";
  image?: string;
  testCommand?: string;
  turns?: number;
  tokens?: number;
  minutes?: number;
  audit?: string;
  /** Warm sandboxes kept per profile for later runs from the same terminal session (0 = off). */
  sandboxPool: number;
  /** PostgreSQL URL of the run history this run is recorded in (opt-in). */
  record?: string;
}

export class UsageError extends Error {}

function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 16)
    throw new UsageError(`--${name} expects a whole number from 0 to 16, got '${value}'`);
  return number;
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new UsageError(`--${name} expects a positive whole number, got '${value}'`);
  return number;
}

export type ParsedCommand = { command: "help" } | { command: "run"; options: CliRunOptions };

export function parseCliArgs(argv: string[], env: Record<string, string | undefined>): ParsedCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h")
    return { command: "help" };
  if (command !== "run")
    throw new UsageError(
      `unknown command '${command}'; the commands are \`inhouse run\`, \`inhouse doctor\` and \`inhouse eval\``,
    );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        repo: { type: "string" },
        task: { type: "string" },
        "issue-file": { type: "string" },
        profile: { type: "string" },
        "profiles-file": { type: "string" },
        "base-url": { type: "string" },
        model: { type: "string" },
        "api-key": { type: "string" },
        "tool-calling": { type: "string" },
        image: { type: "string" },
        "test-command": { type: "string" },
        turns: { type: "string" },
        tokens: { type: "string" },
        minutes: { type: "string" },
        audit: { type: "string" },
        "sandbox-pool": { type: "string" },
        record: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { command: "help" };
  const str = (name: string) => values[name] as string | undefined;
  if (!str("task") && !str("issue-file"))
    throw new UsageError('say what to do with --task "<text>" or --issue-file <file>');
  if (str("task") && str("issue-file")) throw new UsageError("pass either --task or --issue-file, not both");
  const toolCalling = str("tool-calling");
  if (toolCalling !== undefined && !["native", "text", "auto"].includes(toolCalling)) {
    throw new UsageError(`--tool-calling expects native, text or auto, got '${toolCalling}'`);
  }
  const record = str("record") ?? env.INHOUSE_RECORD_URL;
  if (record !== undefined && !isPostgresUrl(record)) {
    throw new UsageError(
      "--record expects the PostgreSQL URL of the run history (the App's DATABASE_URL), e.g. postgres://user:password@host:5432/inhouse; " +
        "the App's embedded store (INHOUSE_DATA_DIR) belongs to the App process and cannot be shared",
    );
  }
  return {
    command: "run",
    options: {
      repo: str("repo") ?? ".",
      task: str("task"),
      issueFile: str("issue-file"),
      profile: str("profile"),
      profilesFile: str("profiles-file") ?? env.INHOUSE_MODEL_PROFILES,
      baseUrl: str("base-url"),
      model: str("model"),
      apiKey: str("api-key"),
      toolCalling: toolCalling as CliRunOptions["toolCalling"],
      image: str("image"),
      testCommand: str("test-command"),
      turns: positiveInt("turns", str("turns")),
      tokens: positiveInt("tokens", str("tokens")),
      minutes: positiveInt("minutes", str("minutes")),
      audit: str("audit"),
      sandboxPool: wholeNumber("sandbox-pool", str("sandbox-pool") ?? env.INHOUSE_SANDBOX_POOL) ?? 0,
      ...(record ? { record } : {}),
    },
  };
}

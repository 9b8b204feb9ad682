/** `inhouse eval` arguments, parsed once into one typed settings object per subcommand. */
import { parseArgs } from "node:util";
import { UsageError } from "./args.ts";

export const EVAL_USAGE = `Usage: inhouse eval <harvest|run> [options]

Replays a repository's closed issues to measure how well a model solves them (docs/eval.md).

inhouse eval harvest --repo <clone> (--export <file.json> | --github <owner/name>) --out <instances.json>
  Selects closed issues whose merged pull request changed code and tests, and runs the tests in the
  sandbox before and after the PR's change to find FAIL_TO_PASS and PASS_TO_PASS.
  --export <file>         Issues and pull requests as JSON ({ repository, issues, pulls }: docs/eval.md)
  --github <owner/name>   Read them through the GitHub API instead (token: GITHUB_TOKEN; --api-url for GHES)
  --test-command <cmd>    Test command printing TAP, pytest -rA or unittest -v results
                          (default: commands.test of .github/agent.yml at each base commit)
  --test-paths <globs>    Comma-separated globs of test files (default: test/, tests/, *.test.* …)

inhouse eval run --repo <clone> --instances <instances.json> --out <dir>
  Runs the agent on every instance under every profile and grades it with the held-out tests;
  writes <dir>/report.md and <dir>/report.json. Started again on the same --out, it resumes.
  --profiles <a,b>        Profiles to compare (default: default); defined in --profiles-file
  --profiles-file <file>  Model profiles file (YAML or JSON); env INHOUSE_MODEL_PROFILES
  --base-url <url> --model <name> --api-key <key>   The default profile without a profiles file
  --turns <n> --tokens <n> --minutes <n>            Caps over the repository's limits
  --suggest               Put the best profile into .github/agent.yml on a new branch
                          eval/model-<profile> of --repo (a suggested change for a PR, never main)
  --github <owner/name>   With --suggest: build that branch on GitHub's default branch, push it to
                          --remote and open a pull request with the report (token: GITHUB_TOKEN)
  --remote <name>         The clone's remote for --github (default origin)

Both:
  --concurrency <n>       Instances at once, each in its own sandbox (default 1)
  --image <name>          Sandbox image (default inhouse-sandbox:latest)
  --test-timeout <min>    Minutes one test run may take (default 10)`;

interface Common {
  repo: string;
  concurrency: number;
  image?: string;
  testTimeoutMs: number;
}

export interface HarvestArgs extends Common {
  export?: string;
  github?: string;
  apiUrl?: string;
  out: string;
  testCommand?: string;
  testPaths?: string[];
}

export interface EvalRunArgs extends Common {
  instances: string;
  out: string;
  profiles: string[];
  profilesFile?: string;
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  turns?: number;
  tokens?: number;
  minutes?: number;
  suggest: boolean;
  /** With `suggest`: open the suggestion as a pull request on this repository. */
  github?: string;
  apiUrl?: string;
  remote: string;
}

export type EvalCommand =
  | { command: "eval-help" }
  | { command: "harvest"; options: HarvestArgs }
  | { command: "eval-run"; options: EvalRunArgs };

const OPTIONS = {
  repo: { type: "string" },
  export: { type: "string" },
  github: { type: "string" },
  "api-url": { type: "string" },
  out: { type: "string" },
  "test-command": { type: "string" },
  "test-paths": { type: "string" },
  "test-timeout": { type: "string" },
  instances: { type: "string" },
  profiles: { type: "string" },
  "profiles-file": { type: "string" },
  "base-url": { type: "string" },
  model: { type: "string" },
  "api-key": { type: "string" },
  turns: { type: "string" },
  tokens: { type: "string" },
  minutes: { type: "string" },
  concurrency: { type: "string" },
  image: { type: "string" },
  suggest: { type: "boolean" },
  remote: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new UsageError(`--${name} expects a positive whole number, got '${value}'`);
  return number;
}

function required(name: string, value: string | undefined, hint: string): string {
  if (!value) throw new UsageError(`inhouse eval needs --${name} ${hint}`);
  return value;
}

export function parseEvalArgs(argv: string[], env: Record<string, string | undefined>): EvalCommand {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "help" || sub === "--help" || sub === "-h")
    return { command: "eval-help" };
  if (sub !== "harvest" && sub !== "run")
    throw new UsageError(
      `unknown eval command '${sub}'; use \`inhouse eval harvest\` or \`inhouse eval run\``,
    );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, strict: true, options: OPTIONS }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { command: "eval-help" };
  const str = (name: keyof typeof OPTIONS) => values[name] as string | undefined;
  const common: Common = {
    repo: str("repo") ?? ".",
    concurrency: positive("concurrency", str("concurrency")) ?? 1,
    image: str("image"),
    testTimeoutMs: (positive("test-timeout", str("test-timeout")) ?? 10) * 60_000,
  };
  if (sub === "harvest") {
    if (!str("export") === !str("github"))
      throw new UsageError("inhouse eval harvest reads either --export <file.json> or --github <owner/name>");
    return {
      command: "harvest",
      options: {
        ...common,
        export: str("export"),
        github: str("github"),
        apiUrl: str("api-url"),
        out: required("out", str("out"), "<instances.json> (where the instances go)"),
        testCommand: str("test-command"),
        testPaths: str("test-paths")
          ?.split(",")
          .map((glob) => glob.trim())
          .filter(Boolean),
      },
    };
  }
  if (str("github") && !values.suggest)
    throw new UsageError(
      "inhouse eval run --github opens the suggested change as a pull request: add --suggest (or drop --github)",
    );
  return {
    command: "eval-run",
    options: {
      ...common,
      instances: required("instances", str("instances"), "<instances.json> (from `inhouse eval harvest`)"),
      out: required("out", str("out"), "<dir> (results, audit logs and the report go there)"),
      profiles: (str("profiles") ?? "default")
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
      profilesFile: str("profiles-file") ?? env.INHOUSE_MODEL_PROFILES,
      baseUrl: str("base-url"),
      model: str("model"),
      apiKey: str("api-key"),
      turns: positive("turns", str("turns")),
      tokens: positive("tokens", str("tokens")),
      minutes: positive("minutes", str("minutes")),
      suggest: Boolean(values.suggest),
      github: str("github"),
      apiUrl: str("api-url"),
      remote: str("remote") ?? "origin",
    },
  };
}

/** `inhouse doctor` arguments, parsed once; every flag also has an environment variable for the runner host. */
import { homedir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RUNTIME_NAME } from "../../core/runtime-name.ts";
import type { DoctorOptions } from "../doctor/run-doctor.ts";
import { DEFAULT_PROXY_IMAGE } from "../sandbox/egress/index.ts";
import { DEFAULT_IMAGE } from "../sandbox/options.ts";
import { UsageError } from "./args.ts";

export const DOCTOR_USAGE = `Usage: inhouse doctor [options]

Checks this runner host piece by piece (Docker, images, runtime, sandbox hardening, the allowlist
proxy, disk and memory, every model profile, and, given the App's credentials, GitHub) and prints
the fix for each failure. Exit code 0 when nothing failed, 1 otherwise.

Options:
  --json                    Machine-readable report
  --image <name>            Sandbox image (default ${DEFAULT_IMAGE})
  --proxy-image <name>      Allowlist proxy image (default ${DEFAULT_PROXY_IMAGE})
  --runtime <name>          The runner's sandbox-runtime (runsc, kata, sysbox-runc); env INHOUSE_SANDBOX_RUNTIME
  --profiles-file <file>    Model profiles file; env INHOUSE_MODEL_PROFILES (default /etc/inhouse/models.yml if present)
  --base-url <url> --model <name> --api-key <key>   A model without a profiles file (env INHOUSE_MODEL_*)
  --cache-dir <dir>         The runner's cache directory (default ~/.cache/inhouse)
  --repo <owner/name>       Repository the App dispatches to; env INHOUSE_RUNNER_REPO
  --workflow <file>         Workflow file there (default agent.yml)
  --label <label>           Runner label the workflow asks for (default agent)
  --app-id <id>             The App's ID; env INHOUSE_APP_ID
  --private-key-file <f>    The App's private key (PEM); env INHOUSE_APP_PRIVATE_KEY_FILE
  --api-url <url>           GitHub's API (default https://api.github.com; GHES: https://host/api/v3); env GITHUB_API_URL
  --runner-dir <dir>        The Actions runner's directory, for its version (default ~/actions-runner if present)
  -h, --help                Show this help`;

export type ParsedDoctor = { command: "help" } | { command: "doctor"; options: DoctorOptions; json: boolean };

export function parseDoctorArgs(
  argv: string[],
  env: Record<string, string | undefined>,
  exists: (path: string) => boolean,
): ParsedDoctor {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        json: { type: "boolean" },
        image: { type: "string" },
        "proxy-image": { type: "string" },
        runtime: { type: "string" },
        "profiles-file": { type: "string" },
        "base-url": { type: "string" },
        model: { type: "string" },
        "api-key": { type: "string" },
        "cache-dir": { type: "string" },
        repo: { type: "string" },
        workflow: { type: "string" },
        label: { type: "string" },
        "app-id": { type: "string" },
        "private-key-file": { type: "string" },
        "api-url": { type: "string" },
        "runner-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { command: "help" };
  const str = (name: string) => values[name] as string | undefined;
  const runtime = str("runtime") ?? env.INHOUSE_SANDBOX_RUNTIME;
  if (runtime !== undefined && !RUNTIME_NAME.test(runtime))
    throw new UsageError(`--runtime expects a runtime name such as runsc, got '${runtime}'`);
  const repoText = str("repo") ?? env.INHOUSE_RUNNER_REPO;
  const repoMatch =
    repoText === undefined ? undefined : /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repoText);
  if (repoText !== undefined && !repoMatch)
    throw new UsageError(`--repo expects owner/name, got '${repoText}'`);
  const appId = str("app-id") ?? env.INHOUSE_APP_ID;
  const keyFile = str("private-key-file") ?? env.INHOUSE_APP_PRIVATE_KEY_FILE;
  if (repoMatch && (!appId || !keyFile))
    throw new UsageError("checking GitHub needs the App's credentials: pass --app-id and --private-key-file");
  const defaultProfiles = "/etc/inhouse/models.yml";
  const profilesFile =
    str("profiles-file") ??
    env.INHOUSE_MODEL_PROFILES ??
    (exists(defaultProfiles) ? defaultProfiles : undefined);
  const defaultRunnerDir = join(homedir(), "actions-runner");
  const runnerDir = str("runner-dir") ?? (exists(defaultRunnerDir) ? defaultRunnerDir : undefined);
  const overrides = {
    ...(str("base-url") ? { baseUrl: str("base-url") } : {}),
    ...(str("model") ? { model: str("model") } : {}),
    ...(str("api-key") ? { apiKey: str("api-key") } : {}),
  };
  return {
    command: "doctor",
    json: Boolean(values.json),
    options: {
      docker: {
        image: str("image") ?? DEFAULT_IMAGE,
        proxyImage: str("proxy-image") ?? DEFAULT_PROXY_IMAGE,
        ...(runtime ? { runtime } : {}),
      },
      host: { cacheDir: str("cache-dir") ?? join(homedir(), ".cache", "inhouse") },
      model: { ...(profilesFile ? { profilesFile } : {}), overrides, env },
      ...(repoMatch && appId && keyFile
        ? {
            github: {
              apiUrl: str("api-url") ?? env.GITHUB_API_URL ?? "https://api.github.com",
              appId,
              privateKeyFile: keyFile,
              repo: { owner: repoMatch[1] as string, name: repoMatch[2] as string },
              workflow: str("workflow") ?? "agent.yml",
              label: str("label") ?? "agent",
              ...(runnerDir ? { runnerDir } : {}),
            },
          }
        : {}),
    },
  };
}

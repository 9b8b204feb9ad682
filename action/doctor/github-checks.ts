/**
 * GitHub from the runner's point of view, with the App's own credentials: the installation on the
 * runner repository grants what every task kind needs (`core/task-token-permissions.ts`) plus what
 * the App needs to dispatch, the workflow exists where dispatch points, a runner carrying the label
 * is online, and this runner is new enough for the action's `node24`.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { httpStatus } from "../../core/github/http-status.ts";
import { taskKinds } from "../../core/task.ts";
import { type TokenAccess, taskTokenPermissions } from "../../core/task-token-permissions.ts";
import { type CheckResult, runCheck } from "./check.ts";

export interface GitHubCheckOptions {
  apiUrl: string;
  appId: string;
  privateKey: string;
  /** The repository the App dispatches to (the central runner repository, or the target). */
  repo: { owner: string; name: string };
  /** Workflow file name under .github/workflows/. */
  workflow: string;
  /** The label the workflow's `runs-on` names besides self-hosted. */
  label: string;
  /** The runner's installation directory, for its version. */
  runnerDir?: string;
}

/**
 * `runs.using: node24` runs on actions/runner 2.327.1 and later ("Runner Support for executing
 * Node24 Actions", https://github.com/actions/runner/releases/tag/v2.327.1, PR actions/runner#3940).
 */
export const NODE24_RUNNER = "2.327.1";

/** What the App's installation must grant: every task kind's token, and dispatching workflows. */
export function requiredPermissions(): Record<string, TokenAccess> {
  const needed: Record<string, TokenAccess> = { actions: "write" };
  for (const kind of taskKinds)
    for (const [name, access] of Object.entries(taskTokenPermissions(kind)))
      if (needed[name] !== "write") needed[name] = access;
  return needed;
}

const RANK = { read: 1, write: 2, admin: 3 } as const;

export function missingPermissions(granted: Record<string, string | undefined>): string[] {
  return Object.entries(requiredPermissions())
    .filter(([name, access]) => (RANK[granted[name] as keyof typeof RANK] ?? 0) < RANK[access])
    .map(([name, access]) => `${name}: ${access}`);
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** `Runner.Listener --version` prints the runner's version (actions/runner src/Runner.Listener/Program.cs). */
async function runnerVersion(runnerDir: string): Promise<string> {
  const { stdout } = await promisify(execFile)(join(runnerDir, "bin", "Runner.Listener"), ["--version"], {
    timeout: 30_000,
  });
  const version = /\d+\.\d+\.\d+/.exec(stdout)?.[0];
  if (!version) throw new Error(`Runner.Listener --version printed no version: ${stdout.trim()}`);
  return version;
}

/** The report says what failed; Octokit's own request log would print it a second time. */
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** The installation first (with the App's own key), then, as the installation, the workflow and the runners. */
export async function githubChecks(options: GitHubCheckOptions): Promise<CheckResult[]> {
  const { installation, installationId } = await installationCheck(options);
  if (installationId === undefined) return [installation];
  const repoClient = appClient(options, installationId);
  const results = [
    installation,
    await workflowCheck(repoClient, options),
    await runnerOnlineCheck(repoClient, options),
  ];
  if (options.runnerDir) results.push(await runnerVersionCheck(options.runnerDir));
  return results;
}

/** An Octokit that signs as the App, or as its installation when given one. */
function appClient(options: GitHubCheckOptions, installationId?: number): Octokit {
  return new Octokit({
    baseUrl: options.apiUrl,
    log: quiet,
    authStrategy: createAppAuth,
    auth: {
      appId: options.appId,
      privateKey: options.privateKey,
      ...(installationId === undefined ? {} : { installationId }),
    },
  });
}

const slugOf = (options: GitHubCheckOptions) => `${options.repo.owner}/${options.repo.name}`;

async function installationCheck(
  options: GitHubCheckOptions,
): Promise<{ installation: CheckResult; installationId?: number }> {
  const slug = slugOf(options);
  let installationId: number | undefined;
  const installation = await runCheck(
    "github",
    "github.installation",
    async () => {
      const { data } = await appClient(options).rest.apps.getRepoInstallation({
        owner: options.repo.owner,
        repo: options.repo.name,
      });
      installationId = data.id;
      const missing = missingPermissions(data.permissions as Record<string, string>);
      if (missing.length)
        return {
          status: "fail",
          summary: `the App's installation on ${slug} lacks ${missing.join(", ")}`,
          fix: `in the App's settings (Developer settings → GitHub Apps → the App → Permissions & events) grant ${missing.join(", ")}, then approve the new permissions on the installation (app.yml lists them)`,
          details: { permissions: data.permissions },
        };
      return {
        status: "ok",
        summary: `the App is installed on ${slug} with what every task kind needs`,
        details: { permissions: data.permissions },
      };
    },
    `install the App on ${slug} (or check --app-id and the private key); the API said no installation answers`,
  );
  return installationId === undefined ? { installation } : { installation, installationId };
}

function workflowCheck(repoClient: Octokit, options: GitHubCheckOptions): Promise<CheckResult> {
  const slug = slugOf(options);
  const path = `.github/workflows/${options.workflow}`;
  return runCheck(
    "github",
    "github.workflow",
    async () => {
      try {
        await repoClient.rest.repos.getContent({ owner: options.repo.owner, repo: options.repo.name, path });
      } catch (error) {
        if (httpStatus(error) !== 404) throw error;
        return {
          status: "fail",
          summary: `${slug} has no ${path}, where the App dispatches tasks`,
          fix: `copy the template .github/workflows/agent.yml into ${slug} (docs/action.md), or point dispatch.repo / the App's runner repository at the repository that has it`,
        };
      }
      return { status: "ok", summary: `${slug} has ${path}` };
    },
    `could not read ${path} from ${slug}`,
  );
}

function runnerOnlineCheck(repoClient: Octokit, options: GitHubCheckOptions): Promise<CheckResult> {
  const slug = slugOf(options);
  return runCheck(
    "github",
    "github.runner-online",
    async () => {
      let runners: { name: string; status: string; labels: { name: string }[] }[];
      try {
        ({
          data: { runners },
        } = await repoClient.rest.actions.listSelfHostedRunnersForRepo({
          owner: options.repo.owner,
          repo: options.repo.name,
        }));
      } catch (error) {
        if (httpStatus(error) !== 403) throw error;
        return {
          status: "warn",
          summary: `cannot list ${slug}'s runners: the App has no Administration: read (listing runners needs it)`,
          fix: `check Settings → Actions → Runners of ${slug}, or grant the App Administration: read so doctor can`,
        };
      }
      const labelled = runners.filter((r) => r.labels.some((l) => l.name === options.label));
      const online = labelled.filter((r) => r.status === "online");
      if (online.length === 0)
        return {
          status: "fail",
          summary: labelled.length
            ? `no runner labelled '${options.label}' is online for ${slug} (offline: ${labelled.map((r) => r.name).join(", ")})`
            : `no runner labelled '${options.label}' is registered for ${slug}`,
          fix: labelled.length
            ? "start the runner service: `sudo ./svc.sh start` in the runner's directory (scripts/install-runner-host.sh installs it as a service)"
            : `register one: scripts/install-runner-host.sh --repo ${slug} --token <registration token> (it adds the '${options.label}' label)`,
          details: { runners: runners.map((r) => ({ name: r.name, status: r.status })) },
        };
      return {
        status: "ok",
        summary: `runner${online.length > 1 ? "s" : ""} ${online.map((r) => r.name).join(", ")} labelled '${options.label}' online`,
      };
    },
    `could not list the runners of ${slug}`,
  );
}

function runnerVersionCheck(dir: string): Promise<CheckResult> {
  return runCheck(
    "github",
    "github.runner-version",
    async () => {
      const version = await runnerVersion(dir);
      if (compareVersions(version, NODE24_RUNNER) < 0)
        return {
          status: "fail",
          summary: `the runner in ${dir} is ${version}; the action runs on node24, which needs ${NODE24_RUNNER} or later`,
          fix: "update the runner (it updates itself when allowed; or re-run scripts/install-runner-host.sh, which installs a current one)",
          details: { version },
        };
      return {
        status: "ok",
        summary: `the runner in ${dir} is ${version} (node24 actions run)`,
        details: { version },
      };
    },
    `no runner in ${dir}: pass --runner-dir where config.sh was run (default ~/actions-runner)`,
  );
}

import * as yaml from "js-yaml";
import { readPath } from "./git-repos.ts";

/** What a dispatch needs from a workflow file: its name, run-name and workflow_dispatch inputs. */
export interface WorkflowFile {
  name: string;
  runName?: string;
  dispatchInputs: Record<string, { required: boolean; default?: string }>;
  hasDispatch: boolean;
  /** `on` names `pull_request`: a pull request starts a run of it (`pull-request-run.ts`). */
  hasPullRequest: boolean;
  /** `on.schedule[].cron`, as written. */
  schedules: string[];
  /**
   * The first job's `strategy.matrix` as written (a list per key, or one `${{ }}` expression per key);
   * the run's jobs are its combinations (`expandMatrix`).
   */
  matrix?: Record<string, unknown>;
  /** `concurrency:` as written (the group is an expression template). */
  concurrency?: { group: string; cancelInProgress: boolean };
  /**
   * The job may request an OIDC token: "You need to specify id-token: write to allow the JSON Web Token
   * (JWT) to be requested from GitHub's OIDC provider", at the workflow or job level, or `write-all`
   * (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#adding-permissions-settings).
   */
  idTokenWrite: boolean;
}

function grantsIdToken(permissions: unknown): boolean {
  if (permissions === "write-all") return true;
  return (permissions as Record<string, unknown> | undefined)?.["id-token"] === "write";
}

function readConcurrency(raw: unknown): WorkflowFile["concurrency"] {
  if (typeof raw === "string") return { group: raw, cancelInProgress: false };
  if (typeof raw !== "object" || raw === null) return undefined;
  const { group, "cancel-in-progress": cancel } = raw as { group?: unknown; "cancel-in-progress"?: unknown };
  return typeof group === "string" ? { group, cancelInProgress: cancel === true } : undefined;
}

/** `on` as a word, a list of words or a map of events names `event`. */
function declaresEvent(on: unknown, event: string): boolean {
  if (typeof on === "string") return on === event;
  if (Array.isArray(on)) return on.includes(event);
  return typeof on === "object" && on !== null && event in on;
}

export async function readWorkflowFile(
  gitDir: string,
  commit: string,
  file: string,
): Promise<WorkflowFile | undefined> {
  const found = await readPath(gitDir, commit, `.github/workflows/${file}`);
  if (found?.kind !== "file") return undefined;
  const doc = yaml.load(found.content.toString("utf8")) as Record<string, unknown>;
  // YAML 1.1 reads a bare `on` key as `true`; js-yaml 5 keeps it as "on", and both spellings are accepted.
  const on = (doc.on ?? doc.true) as unknown;
  const dispatch =
    typeof on === "string"
      ? on === "workflow_dispatch"
        ? {}
        : undefined
      : Array.isArray(on)
        ? on.includes("workflow_dispatch")
          ? {}
          : undefined
        : (on as Record<string, unknown> | undefined)?.workflow_dispatch;
  const rawInputs = (
    (dispatch ?? {}) as { inputs?: Record<string, { required?: boolean; default?: unknown }> }
  ).inputs;
  const dispatchInputs: WorkflowFile["dispatchInputs"] = {};
  for (const [name, spec] of Object.entries(rawInputs ?? {})) {
    dispatchInputs[name] = {
      required: spec?.required === true,
      ...(spec?.default !== undefined ? { default: String(spec.default) } : {}),
    };
  }
  const schedule =
    typeof on === "object" && on !== null && !Array.isArray(on)
      ? (on as { schedule?: unknown }).schedule
      : undefined;
  const schedules = Array.isArray(schedule)
    ? schedule.flatMap((entry) =>
        typeof (entry as { cron?: unknown })?.cron === "string" ? [(entry as { cron: string }).cron] : [],
      )
    : [];
  const firstJob = Object.values((doc.jobs ?? {}) as Record<string, { strategy?: { matrix?: unknown } }>)[0];
  const matrix = firstJob?.strategy?.matrix;
  return {
    name: typeof doc.name === "string" ? doc.name : `.github/workflows/${file}`,
    schedules,
    ...(typeof matrix === "object" && matrix !== null ? { matrix: matrix as Record<string, unknown> } : {}),
    ...(typeof doc["run-name"] === "string" ? { runName: doc["run-name"] } : {}),
    dispatchInputs,
    hasDispatch: dispatch !== undefined,
    hasPullRequest: declaresEvent(on, "pull_request"),
    idTokenWrite:
      grantsIdToken(doc.permissions) ||
      Object.values((doc.jobs ?? {}) as Record<string, { permissions?: unknown }>).some((job) =>
        grantsIdToken(job?.permissions),
      ),
    ...(readConcurrency(doc.concurrency) ? { concurrency: readConcurrency(doc.concurrency) } : {}),
  };
}

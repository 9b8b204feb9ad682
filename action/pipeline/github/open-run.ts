import { join } from "node:path";
import type { Task } from "../../../core/task.ts";
import { LongBodies } from "../../github/long-bodies.ts";
import { StatusComment } from "../../github/status-comment.ts";
import { authenticateTask } from "../../github/task-authenticity.ts";
import { taskTokenSource } from "../../github/task-token.ts";
import { neutralisedLog, neutraliseForLog } from "../../job/job-log.ts";
import type { Settings } from "../../job/settings.ts";
import { messageOf, NotDispatchedByApp } from "../../job/task-errors.ts";
import { PhaseClock } from "../../summary/phases.ts";
import type { PhaseName } from "../task-run.ts";
import type { GitHubRun } from "./github-run.ts";
import { resolveTask } from "./resolve-task.ts";
import type { RunDeps } from "./run-deps.ts";
import { RunSecrets } from "./run-secrets.ts";
import { STATE_KEY } from "./saved-state.ts";

/**
 * Where the agent loop writes its JSON-lines audit log: under `${RUNNER_TEMP}/inhouse-audit/`,
 * which the workflow template uploads as an artifact. One file per task and run attempt.
 */
function auditLogPath(auditDir: string, task: Task, runId: number): string {
  const subject = task.kind === "automation" ? task.automation : String(task.number);
  const name = `${task.repo.owner}-${task.repo.name}-${task.kind}-${subject}-${runId}`.replace(
    /[^A-Za-z0-9._-]/g,
    "_",
  );
  return join(auditDir, `${name}.jsonl`);
}

/** What the status comment says as each phase starts; provisioning's first write is awaited (`read-task.ts`). */
function announce(status: StatusComment, phase: PhaseName, detail = ""): void {
  if (phase === "preparing the workspace") void status.phase("provisioning: preparing the workspace");
  else if (phase === "starting the sandbox") void status.phase("provisioning: starting the sandbox");
  else if (phase === "working") void status.phase(`working: ${detail}`);
  else if (phase === "verifying") void status.phase(`verifying: running \`${detail}\``);
  else if (phase === "publishing") void status.phase("publishing");
}

/**
 * The run's installation token, fetched now: each one (refreshed ones too) is masked and redacted
 * the moment it exists. A token the App refuses (say, for a broken .github/agent.yml) ends the run
 * before any status comment exists: the job summary says why, where a scheduled run's owner looks.
 */
async function firstToken(
  settings: Settings,
  deps: RunDeps,
  task: Task,
  secrets: RunSecrets,
): Promise<() => Promise<string>> {
  const tokens = taskTokenSource(settings.token, {
    appId: settings.appId,
    repository: `${task.repo.owner}/${task.repo.name}`,
    kind: task.kind,
    apiUrl: settings.env.apiUrl,
    ...(deps.idToken ? { idToken: deps.idToken } : {}),
    onToken: deps.mask,
  });
  const token = async (): Promise<string> => {
    const current = await tokens.current();
    secrets.addToken(current);
    return current;
  };
  await token().catch(async (error: unknown) => {
    await deps.summary
      ?.addHeading("inhouse: nothing was run", 2)
      .addRaw(`**${neutraliseForLog(messageOf(error))}**`, true)
      .write()
      .catch(() => undefined);
    throw error;
  });
  return token;
}

/**
 * The first phase: the task (the App's input, or an automation's), the run's token, and GitHub's
 * confirmation that the App dispatched it. A forged task throws here, before any comment is touched
 * or any state saved for the post step; past here, every failure ends in the status comment.
 */
export async function openGitHubRun(settings: Settings, runDeps: RunDeps): Promise<GitHubRun> {
  const deps = { ...runDeps, log: neutralisedLog(runDeps.log) };
  const env = settings.env;
  const task = await resolveTask(settings, deps.summary);
  const runUrl = `${env.serverUrl}/${env.repository}/actions/runs/${env.runId}`;
  const secrets = new RunSecrets(deps.mask, env.serverUrl);
  const token = await firstToken(settings, deps, task, secrets);
  const gh = deps.github(await token(), env.apiUrl);
  if (!("githubToken" in settings.token)) {
    gh.hook.before("request", async (options) => {
      options.headers.authorization = `token ${await token()}`;
    });
  }
  const authentic = await authenticateTask(gh, task, {
    appId: settings.appId,
    run: { event: env.event, triggeringActor: env.triggeringActor },
    now: new Date(),
  });
  if (!authentic.ok) throw new NotDispatchedByApp(authentic.reason);
  const bodies = new LongBodies(runUrl);
  const status = new StatusComment({
    gh,
    task,
    runUrl,
    run: env.runId > 0 && env.repository ? { id: env.runId, repo: env.repository, url: runUrl } : undefined,
    ...(authentic.runner ? { runner: authentic.runner } : {}),
    turnThrottleMs: settings.statusIntervalMs,
    minGapMs: settings.statusIntervalMs,
    redact: (text) => secrets.redact(text),
    fit: bodies.fit,
    ...(authentic.statusSeen ? { known: authentic.statusSeen } : {}),
    warn: deps.log.warning,
  });
  const clock = new PhaseClock();
  const run: GitHubRun = {
    settings,
    deps,
    task,
    gh,
    runUrl,
    authentic,
    secrets,
    token,
    status,
    bodies,
    clock,
    enter: (phase, detail) => {
      clock.start(phase);
      announce(status, phase, detail);
    },
    redact: (text) => secrets.redact(text),
    warn: deps.log.warning,
    ...(deps.signal ? { signal: deps.signal } : {}),
    state: { statusCommentId: task.statusCommentId, finished: false },
    save: () =>
      deps.saveState(STATE_KEY, JSON.stringify({ ...run.state, statusCommentId: status.commentId })),
    outcome: { state: "failed", message: "", verification: "not-run", tokens: 0 },
    spend: {},
    auditPath: auditLogPath(settings.auditDir, task, env.runId),
  };
  run.save();
  return run;
}

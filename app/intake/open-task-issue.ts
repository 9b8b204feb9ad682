import type { Logger, Probot } from "probot";
import type { Metrics } from "../deps/metrics.ts";
import type { RunRecorder } from "../deps/run-recorder.ts";
import type { Deps, Outcome, RepoRef } from "../deps/types.ts";
import type { WorkQueue } from "../deps/work-queue.ts";
import { loadRepoConfig } from "../github/load-repo-config.ts";
import { withIssueLock } from "../task/issue-lock.ts";
import { checkActor } from "../task/permission-gate.ts";
import { startTask } from "../task/start-task.ts";
import { configErrorText } from "../texts/config-error-text.ts";
import { findIntakeIssue } from "./find-intake-issue.ts";
import { type IntakeSource, intakeMarker } from "./intake-marker.ts";
import { repoAccess } from "./repo-access.ts";

/** What every intake route shares: the App, and what a task start records into. */
export interface IntakeContext {
  app: Pick<Probot, "auth">;
  log: Pick<Logger, "info" | "warn" | "error">;
  appId: number;
  metrics: Metrics;
  queue: WorkQueue;
  now: () => Date;
  recorder?: RunRecorder;
  checkBudget?: Deps["checkBudget"];
  slackFollowUps?: Deps["slackFollowUps"];
  defaultRunnerRepo?: string;
}

export interface IntakeRequest {
  source: IntakeSource;
  repo: RepoRef;
  /** The GitHub login the task runs for: gated like a person labelling the issue. */
  actor: string;
  title: string;
  /** Already cleaned; the App's marker is put in front of it here. */
  body: string;
  /** One GitHub issue per key (a Sentry issue id): a repeat gets `repeatComment` instead. */
  key?: string;
  repeatComment?: string;
  /** Unique per request; a task start with a delivery already seen starts nothing. */
  delivery: string;
}

export type IntakeResult =
  | { kind: "opened"; number: number; url: string }
  | { kind: "commented"; number: number; url: string }
  | { kind: "refused"; status: 403 | 404 | 422; message: string };

/**
 * An outside signal becomes an ordinary task: the same gate as a person labelling an issue (the
 * mapped actor's permission, the repository's own config), then an issue with the trigger label,
 * then the same task start. The start runs on the work queue, after the caller has its answer.
 */
export async function openTaskIssue(ctx: IntakeContext, request: IntakeRequest): Promise<IntakeResult> {
  const { repo } = request;
  const access = await repoAccess(ctx.app, repo);
  if (!access.ok) return { kind: "refused", status: access.status, message: access.message };
  const { octokit, defaultBranch } = access;
  const loaded = await loadRepoConfig(octokit, repo, {
    defaultBranch,
    defaultRunnerRepo: ctx.defaultRunnerRepo,
  });
  if (!loaded.parsed.ok) {
    return { kind: "refused", status: 422, message: configErrorText(loaded.parsed.errors, loaded.ref) };
  }
  const config = loaded.parsed.value;
  const gate = await checkActor(
    octokit,
    repo,
    { login: request.actor, type: "User" },
    config,
    config.permissions.minimum,
    "start the agent",
  );
  if (!gate.allowed) {
    ctx.metrics.refusals.inc({ reason: gate.reason });
    return { kind: "refused", status: 403, message: gate.message };
  }
  const lockKey = `intake:${repo.owner}/${repo.name}:${request.source}:${request.key ?? request.delivery}`;
  const created = await withIssueLock(lockKey, async () => {
    if (request.key) {
      const existing = await findIntakeIssue(octokit, repo, request.source, request.key);
      if (existing) {
        if (request.repeatComment) {
          await octokit.rest.issues.createComment({
            owner: repo.owner,
            repo: repo.name,
            issue_number: existing.number,
            body: request.repeatComment,
          });
        }
        return { kind: "commented" as const, ...existing };
      }
    }
    const { data } = await octokit.rest.issues.create({
      owner: repo.owner,
      repo: repo.name,
      title: request.title,
      body: `${intakeMarker(request.source, request.key)}\n${request.body}`,
      labels: [config.trigger.label, request.source],
    });
    return { kind: "opened" as const, number: data.number, url: data.html_url };
  });
  if (created.kind === "commented") return created;

  const deps: Deps = {
    octokit,
    log: ctx.log as Logger,
    appId: ctx.appId,
    metrics: ctx.metrics,
    event: request.source,
    delivery: request.delivery,
    now: ctx.now,
    ...(ctx.recorder ? { recorder: ctx.recorder } : {}),
    ...(ctx.checkBudget ? { checkBudget: ctx.checkBudget } : {}),
    ...(ctx.defaultRunnerRepo ? { defaultRunnerRepo: ctx.defaultRunnerRepo } : {}),
  };
  await ctx.queue.submit(async () => {
    let outcome: Outcome | "error" = "error";
    try {
      outcome = await startTask(deps, {
        repo,
        defaultBranch,
        number: created.number,
        kind: "fix-issue",
        actor: request.actor,
        config,
        quietWhenBusy: true,
      });
    } finally {
      ctx.metrics.deliveries.inc({ event: `intake.${request.source}`, outcome });
    }
  });
  return created;
}

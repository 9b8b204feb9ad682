import type { ApplicationFunction, ApplicationFunctionOptions, Logger, Probot } from "probot";
import type { z } from "zod";
import { Metrics } from "./deps/metrics.ts";
import {
  CheckRunSchema,
  InstallationSchema,
  IssueCommentSchema,
  IssueLabeledSchema,
  IssueOpenedSchema,
  PullRequestClosedSchema,
  PullRequestSchema,
  ReviewCommentSchema,
  ReviewSchema,
  WorkflowRunSchema,
} from "./deps/payloads.ts";
import type { RunRecorder } from "./deps/run-recorder.ts";
import type { Deps, GitHub, Outcome } from "./deps/types.ts";
import { WorkQueue } from "./deps/work-queue.ts";
import { handleCheckRunCompleted } from "./handlers/check-run-completed.ts";
import { handleInstallation } from "./handlers/installation.ts";
import { handleIssueComment } from "./handlers/issue-comment.ts";
import { handleIssueLabeled } from "./handlers/issue-labeled.ts";
import { handleIssueOpened } from "./handlers/issue-opened.ts";
import { handlePullRequest } from "./handlers/pull-request.ts";
import { handlePullRequestClosed } from "./handlers/pull-request-closed.ts";
import { handleReview, handleReviewComment } from "./handlers/review-command.ts";
import { handleWorkflowRunCompleted } from "./handlers/workflow-run-completed.ts";
import { type TokenExchangeOptions, taskTokenRoute } from "./token-exchange/task-token-route.ts";

export interface AppOptions {
  /** This App's id (APP_ID): its own comments are recognised by it. */
  appId: number;
  metrics?: Metrics;
  now?: () => Date;
  /** Where handling happens after the acknowledgement; tests await its `idle()`. */
  queue?: WorkQueue;
  /** Records every task in the run history. */
  recorder?: RunRecorder;
  checkBudget?: Deps["checkBudget"];
  slackFollowUps?: Deps["slackFollowUps"];
  /** Serve `POST /api/task-token` (jobs trade their OIDC token for a task token); off when absent. */
  tokenExchange?: TokenExchangeOptions;
  /** `INHOUSE_DEFAULT_RUNNER_REPO`: where repositories that name no `dispatch.repo` dispatch. */
  defaultRunnerRepo?: string;
}

/** The fields of Probot's Context a handler uses, whatever the event. */
interface Delivery {
  id: string;
  name: string;
  payload: unknown;
  octokit: GitHub;
  log: Logger;
}

/** The App: wires events to handlers and counts what became of each delivery. Nothing else. */
export function inhouse(options: AppOptions): ApplicationFunction {
  const metrics = options.metrics ?? new Metrics();
  const now = options.now ?? (() => new Date());
  // Failures are logged with their delivery where they happen (below); nothing more to do here.
  const queue = options.queue ?? new WorkQueue(() => {});
  metrics.gauge(
    "inhouse_webhook_work_in_flight",
    "Deliveries acknowledged and not yet handled.",
    () => queue.inFlight,
  );

  function track<S extends z.ZodType>(
    event: string,
    schema: S,
    handler: (deps: Deps, payload: z.infer<S>) => Promise<Outcome>,
  ) {
    return (context: Delivery): Promise<void> => queue.submit(() => handle(context));

    async function handle(context: Delivery): Promise<void> {
      const started = performance.now();
      let outcome: Outcome | "error" | "malformed" = "error";
      try {
        const parsed = schema.safeParse(context.payload);
        if (!parsed.success) {
          context.log.warn(
            { event, issues: parsed.error.issues.slice(0, 3) },
            "webhook payload lacks fields the app needs",
          );
          outcome = "malformed";
          return;
        }
        const deps: Deps = {
          octokit: context.octokit,
          log: context.log,
          appId: options.appId,
          metrics,
          event: context.name,
          delivery: context.id,
          now,
          ...(options.recorder ? { recorder: options.recorder } : {}),
          ...(options.checkBudget ? { checkBudget: options.checkBudget } : {}),
          ...(options.slackFollowUps ? { slackFollowUps: options.slackFollowUps } : {}),
          ...(options.defaultRunnerRepo ? { defaultRunnerRepo: options.defaultRunnerRepo } : {}),
        };
        outcome = await handler(deps, parsed.data);
        context.log.info({ event, outcome }, "delivery handled");
      } catch (error) {
        context.log.error({ err: error, event }, "delivery failed; GitHub can redeliver it safely");
        throw error;
      } finally {
        metrics.deliveries.inc({ event, outcome });
        metrics.latency.observe({ event }, (performance.now() - started) / 1000);
      }
    }
  }

  return (app: Probot, loaded?: ApplicationFunctionOptions) => {
    if (options.tokenExchange) {
      if (!loaded?.addHandler)
        throw new Error("the token exchange needs Probot's addHandler (probot.load with options)");
      loaded.addHandler(
        taskTokenRoute(app, options.appId, {
          ...options.tokenExchange,
          ...(options.recorder ? { recorder: options.recorder } : {}),
        }),
      );
    }
    app.on("issues.labeled", track("issues.labeled", IssueLabeledSchema, handleIssueLabeled));
    app.on("issues.opened", track("issues.opened", IssueOpenedSchema, handleIssueOpened));
    app.on("issue_comment.created", track("issue_comment.created", IssueCommentSchema, handleIssueComment));
    app.on(
      ["pull_request.opened", "pull_request.ready_for_review"],
      track("pull_request", PullRequestSchema, handlePullRequest),
    );
    app.on(
      "pull_request.closed",
      track("pull_request.closed", PullRequestClosedSchema, handlePullRequestClosed),
    );
    app.on(
      "workflow_run.completed",
      track("workflow_run.completed", WorkflowRunSchema, handleWorkflowRunCompleted),
    );
    app.on(
      "pull_request_review_comment.created",
      track("pull_request_review_comment.created", ReviewCommentSchema, handleReviewComment),
    );
    app.on(
      "pull_request_review.submitted",
      track("pull_request_review.submitted", ReviewSchema, handleReview),
    );
    app.on("check_run.completed", track("check_run.completed", CheckRunSchema, handleCheckRunCompleted));
    app.on(
      ["installation", "installation_repositories"],
      track("installation", InstallationSchema, handleInstallation),
    );
  };
}

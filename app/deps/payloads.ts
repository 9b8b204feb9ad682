import { z } from "zod";

/** The webhook fields the app reads, validated once at the boundary. Everything else is ignored. */

const actor = z.object({ login: z.string().min(1), type: z.string().default("User") });

const repository = z.object({
  name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
  default_branch: z.string().min(1),
});

const issue = z.object({
  number: z.number().int().positive(),
  /** Present when the "issue" is a pull request. */
  pull_request: z.unknown().optional(),
  /** Who opened it, and its text: read only to recognise an issue the App opened for an outside signal. */
  user: z.object({ login: z.string() }).nullish(),
  body: z.string().nullish(),
});

export const IssueLabeledSchema = z.object({
  label: z.object({ name: z.string() }).optional(),
  issue,
  repository,
  sender: actor,
});
export type IssueLabeled = z.infer<typeof IssueLabeledSchema>;

export const IssueOpenedSchema = z.object({ issue, repository, sender: actor });
export type IssueOpened = z.infer<typeof IssueOpenedSchema>;

export const IssueCommentSchema = z.object({
  comment: z.object({
    id: z.number().int().positive(),
    body: z.string().nullable().default(""),
    user: actor.nullable(),
    performed_via_github_app: z.object({ id: z.number() }).nullable().optional(),
  }),
  issue,
  repository,
  sender: actor,
});
export type IssueComment = z.infer<typeof IssueCommentSchema>;

export const PullRequestSchema = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    draft: z.boolean().default(false),
  }),
  repository,
  sender: actor,
});
export type PullRequest = z.infer<typeof PullRequestSchema>;

export const PullRequestClosedSchema = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    merged: z.boolean().nullable().default(false),
    closed_at: z.string().nullable().optional(),
    /** Who pressed merge: the requester of a merge follow-up (app/handlers/pull-request-merged.ts). */
    merged_by: actor.nullish(),
    head: z.object({ ref: z.string() }).optional(),
  }),
  repository,
  sender: actor,
});
export type PullRequestClosed = z.infer<typeof PullRequestClosedSchema>;

export const WorkflowRunSchema = z.object({
  workflow_run: z.object({
    id: z.number().int().positive(),
    display_title: z.string().default(""),
    conclusion: z.string().nullable(),
    html_url: z.string(),
    event: z.string(),
    /**
     * The workflow file the run ran (`.github/workflows/agent.yml`): required in GitHub's webhook
     * description ("webhook-workflow-run-completed" in @octokit/openapi-types); missing reads as
     * empty, which no configured workflow matches, so a payload without it is never taken as ours.
     */
    path: z.string().default(""),
    created_at: z.string().optional(),
    run_started_at: z.string().nullable().optional(),
    updated_at: z.string().optional(),
  }),
  repository,
});
export type WorkflowRun = z.infer<typeof WorkflowRunSchema>;

export type Repository = z.infer<typeof repository>;
export type Actor = z.infer<typeof actor>;

export const InstallationSchema = z.object({
  action: z.string(),
  installation: z.object({ id: z.number(), account: z.object({ login: z.string() }).nullable().optional() }),
  repositories: z.array(z.object({ full_name: z.string() })).optional(),
  repositories_added: z.array(z.object({ full_name: z.string() })).optional(),
  repositories_removed: z.array(z.object({ full_name: z.string() })).optional(),
});
export type Installation = z.infer<typeof InstallationSchema>;

/** `check_run.completed`: the fields the failed-check follow-up reads (app/handlers/check-run-completed.ts). */
export const CheckRunSchema = z.object({
  check_run: z.object({
    id: z.number().int().positive(),
    name: z.string().default("check"),
    head_sha: z.string().min(7),
    conclusion: z.string().nullable(),
    details_url: z.string().nullish(),
    output: z
      .object({
        title: z.string().nullish(),
        summary: z.string().nullish(),
        text: z.string().nullish(),
      })
      .default({}),
    /** The CI App that reported it; `github-actions` means the check run is an Actions job. */
    app: z.object({ slug: z.string().nullish() }).nullish(),
    pull_requests: z.array(z.object({ number: z.number().int().positive() })).default([]),
  }),
  repository,
});
export type CheckRunCompleted = z.infer<typeof CheckRunSchema>;
export type CheckRun = CheckRunCompleted["check_run"];

const reviewPull = z.object({ number: z.number().int().positive() });

/** `pull_request_review_comment.created`: a comment on a line (or lines) of the PR's diff. */
export const ReviewCommentSchema = z.object({
  comment: z.object({
    id: z.number().int().positive(),
    body: z.string().default(""),
    path: z.string(),
    line: z.number().int().nullish(),
    start_line: z.number().int().nullish(),
    original_line: z.number().int().nullish(),
    diff_hunk: z.string().nullish(),
    in_reply_to_id: z.number().int().nullish(),
    user: actor,
  }),
  pull_request: reviewPull,
  repository,
  sender: actor,
});
export type ReviewCommentCreated = z.infer<typeof ReviewCommentSchema>;

/** `pull_request_review.submitted`: a review, whose body may hold the command. */
export const ReviewSchema = z.object({
  review: z.object({
    id: z.number().int().positive(),
    body: z.string().nullable().default(""),
    state: z.string(),
    user: actor.nullable(),
  }),
  pull_request: reviewPull,
  repository,
  sender: actor,
});
export type ReviewSubmitted = z.infer<typeof ReviewSchema>;

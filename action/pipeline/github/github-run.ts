import type { ModelPrice } from "../../../core/cost.ts";
import type { Task } from "../../../core/task.ts";
import type { GitHub } from "../../github/client.ts";
import type { LongBodies } from "../../github/long-bodies.ts";
import type { StatusComment } from "../../github/status-comment.ts";
import type { authenticateTask } from "../../github/task-authenticity.ts";
import type { JobLog } from "../../job/job-log.ts";
import type { Settings } from "../../job/settings.ts";
import type { TaskRun } from "../task-run.ts";
import type { RunDeps, TaskOutcome } from "./run-deps.ts";
import type { RunSecrets } from "./run-secrets.ts";
import type { SavedState } from "./saved-state.ts";

export type Authentic = Extract<Awaited<ReturnType<typeof authenticateTask>>, { ok: true }>;

/** A task the App dispatched, as the GitHub adapter's phases share it (`open-run.ts` makes it). */
export interface GitHubRun extends TaskRun {
  settings: Settings;
  deps: RunDeps & { log: Required<JobLog> };
  task: Task;
  gh: GitHub;
  runUrl: string;
  authentic: Authentic;
  secrets: RunSecrets;
  /** The installation token now (refreshed near its hour), masked and redacted. */
  token(): Promise<string>;
  status: StatusComment;
  /** Bodies over GitHub's 65,536 characters are cut; the whole texts go to the job summary and audit log. */
  bodies: LongBodies;
  /** What the post step reads (`STATE_KEY`); `save` writes it. */
  state: SavedState;
  save(): void;
  outcome: TaskOutcome;
  /** Where the result is (the PR, the review, the reply), for the usage record. */
  link?: string;
  spend: { profile?: string; price?: ModelPrice };
  auditPath: string;
}

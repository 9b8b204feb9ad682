import { TRAILER } from "../../core/commit-trailers.ts";
import type { RepoConfig } from "../../core/config.ts";
import type { Task } from "../../core/task.ts";
import type { AgentResult } from "../agent/types.ts";
import { withAutomationMarker } from "../automation/automation-threads.ts";
import type { GitHub } from "../github/client.ts";
import { retryGit } from "../github/retry-policy.ts";
import type { GitAuth } from "../workspace/auth-header.ts";
import type { WorkspacePlan } from "../workspace/plan.ts";
import { type CommitIdentity, commitStaged } from "./commit.ts";
import { deliverCommit } from "./deliver-commit.ts";
import { judgePatch } from "./judge-change.ts";
import type { PatchLimits } from "./patch-policy.ts";
import { factsTable, pullRequestBody, pullRequestTitle } from "./pr-body.ts";
import { openPullRequest, replyInThread } from "./pull-request.ts";
import { deleteRemoteBranch, PushRejectedError, remoteBranchExists } from "./push.ts";

export interface PublishInput {
  gh: GitHub;
  task: Task;
  config: RepoConfig;
  title: string;
  dir: string;
  plan: WorkspacePlan;
  defaultBranch: string;
  result: AgentResult;
  patch: string;
  runUrl: string;
  auth: GitAuth;
  author: CommitIdentity;
  limits: PatchLimits;
  redact: (text: string) => string;
  /** Fits a body to GitHub's limit, keeping the whole text for the job summary (`LongBodies.fit`). */
  fit: (what: string, text: string) => string;
  retry?: typeof retryGit;
  /** Commit through GitHub's API where the change allows (`deliver-commit.ts`); false pushes with git. */
  commitThroughApi?: boolean;
  /** The credential-free clone URL of a repository (where a fork's branch is pushed: `plan.pushRepo`). */
  remoteUrl?: (owner: string, name: string) => string;
}

/** An automation's PR carries its marker, added after the outgoing-text filter (`withAutomationMarker`). */
function automationBody(body: string, task: Task): string {
  return task.kind === "automation" ? withAutomationMarker(body, task.automation!) : body;
}

export type PublishOutcome =
  | { kind: "no-changes" }
  | { kind: "refused"; reasons: string[] }
  | { kind: "pull-request"; number: number; url: string; draft: boolean; branch: string; sha: string }
  | { kind: "pushed"; branch: string; sha: string; replyUrl: string; paths: string[] }
  /** Judged and staged, but not pushed anywhere (a fork PR): to be posted as suggestions, saying why. */
  | { kind: "suggest"; why: string };

/** An agent branch name nobody has used yet: a rerun of the same task gets `-2`, `-3`, … */
async function freeBranch(dir: string, auth: GitAuth, wanted: string): Promise<string> {
  for (let n = 1; n <= 20; n++) {
    const name = n === 1 ? wanted : `${wanted}-${n}`;
    if (!(await remoteBranchExists(dir, auth, name))) return name;
  }
  throw new Error(`branches ${wanted} to ${wanted}-20 all exist; delete old agent branches and rerun`);
}

/**
 * Steps 7 of the design, outside the sandbox: policy check, commit, push, then the PR or the
 * thread reply. If anything after the push fails, a branch this task created is deleted again so
 * nothing is left behind under a name that suggests a finished result.
 */
export async function publishChange(input: PublishInput): Promise<PublishOutcome> {
  if (input.patch.trim() === "") return { kind: "no-changes" };
  const judged = await judgePatch(input);
  if (judged.kind !== "staged") return judged;
  const { task, result, plan } = input;
  if (plan.suggestOnly) return { kind: "suggest", why: plan.suggestOnly };
  const repo = { owner: task.repo.owner, name: task.repo.name };
  const verificationFailed = result.verification !== undefined && !result.verification.passed;
  const unfinished = result.outcome !== "finished";

  // The title comes from the issue; like every text going out it is redacted (commit subject, PR title).
  const subject = input.redact(pullRequestTitle(task.kind, input.title, task.number));
  const trailers: Record<string, string> = {
    [TRAILER.task]:
      task.kind === "automation" ? `automation ${task.automation}` : `${task.kind} #${task.number}`,
    [TRAILER.delivery]: task.trigger.delivery,
    [TRAILER.requestedBy]: `@${task.trigger.actor}`,
  };
  const local = await commitStaged({
    dir: input.dir,
    subject,
    body: input.redact(result.summary ?? result.reason),
    trailers,
    author: input.author,
  });

  const retry = input.retry ?? retryGit;
  const branch = plan.pushIsNew
    ? await freeBranch(input.dir, input.auth, plan.pushBranch!)
    : plan.pushBranch!;
  const fork = plan.pushRepo;
  if (fork && !input.remoteUrl) throw new Error("publishing to a fork needs the fork's remote URL");
  const target = {
    dir: input.dir,
    auth: input.auth,
    branch,
    defaultBranch: input.defaultBranch,
    allowed: { prefix: input.config.pr.branchPrefix, prBranch: plan.pushIsNew ? undefined : plan.pushBranch },
    ...(fork ? { remote: input.remoteUrl!(fork.owner, fork.name) } : {}),
  };
  let sha: string;
  try {
    ({ sha } = await deliverCommit({
      gh: input.gh,
      repo,
      target,
      local,
      isNew: plan.pushIsNew,
      // GitHub's commit API writes to the base repository's branches; a fork's branch gets a git push.
      useApi: input.commitThroughApi === true && !fork,
      retry: (work, isRetryable) => retry(work, isRetryable),
    }));
  } catch (error) {
    // A fork that refuses the push (edits from maintainers withdrawn, an organization fork, a rule of
    // the fork) still gets the change, as suggestions; a moved branch fails as on any pull request.
    if (fork && error instanceof PushRejectedError && error.kind !== "branch-moved") {
      return { kind: "suggest", why: `GitHub refused the push to ${fork.owner}:${branch}: ${error.message}` };
    }
    throw error;
  }
  const shownBranch = fork ? `${fork.owner}:${branch}` : branch;

  try {
    if (!plan.prBase) {
      const text = [
        task.kind === "automation"
          ? `Automation \`${task.automation}\` (${task.trigger.event}) pushed ${sha.slice(0, 12)} to \`${branch}\`.`
          : `Pushed ${sha.slice(0, 12)} to \`${shownBranch}\` for @${task.trigger.actor}.`,
        "",
        input.redact(result.summary?.trim() || result.reason),
        "",
        factsTable(result, input.runUrl),
      ].join("\n");
      const thread = plan.replyTo ?? task.number!;
      const replyUrl = await replyInThread(input.gh, repo, thread, input.fit("reply", text));
      return { kind: "pushed", branch: shownBranch, sha, replyUrl, paths: judged.paths };
    }
    const draft = (verificationFailed && input.config.pr.draftWhenVerificationFails) || unfinished;
    const opened = await openPullRequest(input.gh, {
      owner: repo.owner,
      repo: repo.name,
      head: branch,
      base: plan.prBase,
      title: subject,
      body: automationBody(
        input.fit(
          "pull request body",
          input.redact(pullRequestBody({ task, result, runUrl: input.runUrl, note: plan.note })),
        ),
        task,
      ),
      draft,
      labels: input.config.pr.labels,
    });
    return { kind: "pull-request", number: opened.number, url: opened.url, draft: opened.draft, branch, sha };
  } catch (error) {
    if (plan.pushIsNew) await deleteRemoteBranch(target).catch(() => undefined);
    throw error;
  }
}

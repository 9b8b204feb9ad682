import type { RepoConfig } from "../../../core/config.ts";
import type { AgentResult, AgentTaskText } from "../../agent/types.ts";
import { Refusal } from "../../job/task-errors.ts";
import { commitStaged, LOCAL_AGENT } from "../../publish/commit.ts";
import { judgePatch } from "../../publish/judge-change.ts";
import type { PatchLimits } from "../../publish/patch-policy.ts";
import type { Sandbox } from "../../sandbox/types.ts";
import { git } from "../../workspace/git.ts";
import type { TaskRun } from "../task-run.ts";
import { freeLocalBranch } from "./local-repository.ts";

export interface LocalPublish {
  /** The user's repository: it gets the new branch, nothing else. */
  repo: string;
  /** The task's clone (`prepareTaskWorkspace`), where the change is judged and committed. */
  dir: string;
  sandbox: Sandbox;
  result: AgentResult;
  text: AgentTaskText;
  slug: string;
  config: Pick<RepoConfig, "protectedPaths" | "allowProtectedPathChanges">;
  limits: PatchLimits;
}

export interface LocalBranch {
  branch?: string;
  diffStat?: string;
}

/**
 * The local adapter's publish step: the sandbox's change judged by the action's publish policy
 * (`judgePatch`: protected paths, size, names, submodules, secrets), committed in the task's clone,
 * and pushed to the user's repository as a new `agent/local-*` branch. The user's working tree,
 * index and current branch are never touched.
 */
export async function publishLocalBranch(run: TaskRun, input: LocalPublish): Promise<LocalBranch> {
  run.enter("publishing");
  const { result, dir } = input;
  if (input.text.kind === "review") return {};
  const patch = await input.sandbox.diff();
  if (!patch.trim()) return {};
  const judged = await judgePatch({
    dir,
    patch,
    config: input.config,
    limits: input.limits,
    redact: run.redact,
  });
  if (judged.kind === "no-changes") return {};
  if (judged.kind === "refused") {
    throw new Refusal(`the agent's change was not published: ${judged.reasons.join("; ")}`);
  }
  await commitStaged({
    dir,
    subject: input.text.title,
    body: run.redact(result.summary ?? result.reason),
    trailers: { "Agent-Outcome": result.outcome },
    author: LOCAL_AGENT,
  });
  const branch = await freeLocalBranch(input.repo, input.slug);
  const diffStat = (await git(["-C", dir, "diff", "--stat", "HEAD~1", "HEAD"])).stdout;
  await git(["-C", dir, "push", "--quiet", input.repo, `HEAD:refs/heads/${branch}`]);
  return { branch, diffStat };
}

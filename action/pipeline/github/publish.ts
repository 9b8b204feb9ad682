import type { AgentResult } from "../../agent/types.ts";
import { commitAuthor } from "../../publish/commit-author.ts";
import { publishResult } from "../../publish/publish-result.ts";
import { withBlockedHosts } from "../../sandbox/egress/egress-log.ts";
import type { Sandbox } from "../../sandbox/types.ts";
import { gitAuth } from "../../workspace/auth-header.ts";
import type { WorkspacePlan } from "../../workspace/plan.ts";
import type { GitHubRun } from "./github-run.ts";
import type { Request } from "./read-request.ts";

/** Publishing on GitHub by the task's kind (`publishResult`), under the same policy checks as every adapter. */
export async function publishToGitHub(
  run: GitHubRun,
  request: Request,
  plan: WorkspacePlan,
  dir: string,
  sandbox: Sandbox,
  result: AgentResult,
): Promise<void> {
  const { gh, task, settings, deps } = run;
  const env = settings.env;
  const remoteUrl = deps.remoteUrl(task.repo.owner, task.repo.name);
  run.enter("publishing");
  const published = await publishResult({
    gh,
    task,
    config: request.config,
    text: request.text,
    pr: request.pr,
    result,
    runUrl: run.runUrl,
    redact: run.redact,
    fit: run.bodies.fit,
    change: {
      dir,
      plan,
      defaultBranch: request.defaultBranch,
      // A fresh token for the push: the clone's may be close to its hour.
      auth: gitAuth(await run.token(), env.serverUrl),
      settings,
      author: () => commitAuthor(gh, task, settings.author, deps.log.warning, run.authentic.statusAuthor),
      diff: () => sandbox.diff(),
      // GitHub's commit API can only commit where the clone came from GitHub itself.
      commitThroughApi: remoteUrl.startsWith(`${env.serverUrl}/`),
      remoteUrl: deps.remoteUrl,
    },
  });
  run.link = published.link;
  run.outcome.prNumber = published.prNumber;
  run.outcome.prUrl = published.prUrl;
  run.outcome.message = await withBlockedHosts(published.message, sandbox);
}

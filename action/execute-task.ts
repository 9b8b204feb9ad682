import type { Settings } from "./job/settings.ts";
import { githubAgentRequest } from "./pipeline/github/agent-request.ts";
import { openGitHubRun } from "./pipeline/github/open-run.ts";
import { publishToGitHub } from "./pipeline/github/publish.ts";
import { readTask } from "./pipeline/github/read-task.ts";
import { reportFailed, reportSucceeded } from "./pipeline/github/report.ts";
import type { RunDeps, TaskOutcome } from "./pipeline/github/run-deps.ts";
import { githubSandbox, githubWorkspace } from "./pipeline/github/task-resources.ts";
import { wrapUp } from "./pipeline/github/wrap-up.ts";
import { prepareTaskWorkspace } from "./pipeline/prepare-workspace.ts";
import { runTaskAgent } from "./pipeline/run-agent-phase.ts";
import { startTaskSandbox } from "./pipeline/start-sandbox.ts";
import { checkPublishable, verificationState } from "./pipeline/verify.ts";
import { planWorkspace } from "./workspace/plan.ts";

/**
 * One task the App dispatched, as a list of phases (docs/design.md); the CLI runs the
 * same shared ones (`pipeline/local/run-local-task.ts`). Never throws for task failures: they end
 * in the status comment. Throws only when the task is not the App's (nothing is written then).
 */
export async function executeTask(settings: Settings, deps: RunDeps): Promise<TaskOutcome> {
  const run = await openGitHubRun(settings, deps);
  try {
    const request = await readTask(run);
    const { config, defaultBranch, text, pr, limits } = request;
    const plan = planWorkspace(run.task, config, defaultBranch, text.title, pr);
    const workspace = await prepareTaskWorkspace(run, await githubWorkspace(run, plan));
    const sandbox = await startTaskSandbox(run, githubSandbox(run, limits), workspace.dir);
    const result = await runTaskAgent(run, sandbox, limits.agent.turns, () =>
      githubAgentRequest(run, request, sandbox),
    );
    run.outcome.tokens = result.tokens.total;
    run.outcome.verification = verificationState(result);
    checkPublishable(run, result);
    await publishToGitHub(run, request, plan, workspace.dir, sandbox, result);
    await reportSucceeded(run);
  } catch (error) {
    await reportFailed(run, error);
  } finally {
    await wrapUp(run);
  }
  return run.outcome;
}

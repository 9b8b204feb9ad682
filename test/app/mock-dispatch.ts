import type nock from "nock";
import { parseTask, type Task } from "../../core/task.ts";
import { ISSUE, R } from "./harness.ts";

/**
 * The runs list of a workflow with no run yet: what the App reads after a dispatch GitHub answered
 * with 204 (no run details), looking for its run. REST "List workflow runs for a workflow":
 * https://docs.github.com/en/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow
 */
export function mockNoRunListed(scope: nock.Scope, runnerRepo = R): nock.Scope {
  return scope
    .get(`${runnerRepo}/actions/workflows/agent.yml/runs`)
    .query(true)
    .reply(200, { total_count: 0, workflow_runs: [] });
}

/**
 * A task the App starts, as GitHub sees it: the eyes reaction on the thread, the status comment
 * (id `statusId`), the workflow dispatch (answered 204, as servers without `return_run_details` do)
 * and the runs list with no run yet. `task()` is the `task` input the dispatch carried, parsed.
 */
export function mockDispatch(
  scope: nock.Scope,
  options: { number?: number; runnerRepo?: string; statusId?: number } = {},
): { task(): Task } {
  const { number = ISSUE, runnerRepo = R, statusId = 1 } = options;
  let sent = "";
  scope.post(`${R}/issues/${number}/reactions`, { content: "eyes" }).reply(201, {});
  scope.post(`${R}/issues/${number}/comments`).reply(201, { id: statusId });
  scope
    .post(`${runnerRepo}/actions/workflows/agent.yml/dispatches`, (body) => {
      sent = body.inputs.task;
      return true;
    })
    .reply(204);
  mockNoRunListed(scope, runnerRepo);
  return {
    task() {
      const parsed = parseTask(sent);
      if (!parsed.ok) throw new Error(`the dispatched task is not valid: ${JSON.stringify(parsed.errors)}`);
      return parsed.value;
    },
  };
}

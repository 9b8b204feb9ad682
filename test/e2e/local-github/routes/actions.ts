import { callerUser, findRepo, paginate, type RouteContext } from "../context.ts";
import { GitHubError, notFound } from "../errors.ts";
import { resolveBranchOrSha } from "../git-repos.ts";
import { newRun } from "../new-run.ts";
import type { Router } from "../router.ts";
import { jobShape, workflowRunShape } from "../shapes/workflow-run.ts";
import type { RepoRecord, RunRecord } from "../state.ts";
import { readWorkflowFile } from "../workflow-file.ts";

/** Workflow dispatch and runs. A dispatch only queues a run; an attached test runner picks it up. */
export function registerActionRoutes(router: Router, ctx: RouteContext): void {
  const workflowFileName = (repo: RepoRecord, workflowId: string): string => {
    if (!/^\d+$/.test(workflowId)) return workflowId;
    const file = ctx.state.runs.find((run) => run.repo === repo && run.workflowId === Number(workflowId));
    if (!file) throw notFound();
    return file.workflowFile;
  };
  const runsMatching = (repo: RepoRecord, query: URLSearchParams, workflowFile?: string): RunRecord[] => {
    const created = query.get("created");
    const since = created?.startsWith(">=") ? created.slice(2) : undefined;
    return ctx.state.runs
      .filter((run) => run.repo === repo)
      .filter((run) => workflowFile === undefined || run.workflowFile === workflowFile)
      .filter((run) => !query.get("event") || run.event === query.get("event"))
      .filter(
        (run) =>
          !query.get("status") ||
          run.status === query.get("status") ||
          run.conclusion === query.get("status"),
      )
      .filter((run) => !query.get("branch") || run.headBranch === query.get("branch"))
      .filter(
        (run) => since === undefined || new Date(run.createdAt) >= new Date(since.replace(/\.\d+Z$/, "Z")),
      )
      .reverse();
  };
  const findRun = (params: { owner: string; repo: string; run_id: string }): RunRecord => {
    const repo = findRepo(ctx, params);
    const run = ctx.state.run(Number(params.run_id));
    if (!run || run.repo !== repo) throw notFound();
    return run;
  };

  // Labels as GitHub returns them: the default ones (`self-hosted`, the OS, the architecture) are
  // "read-only", the ones given at registration "custom" (the runner object in the REST description).
  router.on("GET /repos/{owner}/{repo}/actions/runners", ({ params, query }) => {
    const repo = findRepo(ctx, params);
    const runners = (repo.runners ?? []).map((runner) => ({
      id: runner.id,
      name: runner.name,
      os: "Linux",
      status: runner.status,
      busy: runner.busy,
      labels: runner.labels.map((name, index) => ({
        id: index + 1,
        name,
        type: ["self-hosted", "Linux", "X64"].includes(name) ? ("read-only" as const) : ("custom" as const),
      })),
    }));
    return { status: 200, body: { total_count: runners.length, runners: paginate(runners, query) } };
  });

  // A refused dispatch is 422 with the reason as GitHub's `message` itself, not "Validation Failed":
  // `{"message": "Unexpected inputs provided: [\"foo\"]"}` and `{"message": "No ref found for: main"}`
  // as api.github.com answers them (convictional/trigger-workflow-and-wait#4 and #25,
  // peter-evans/slash-command-dispatch#115).
  const refused = (message: string) => new GitHubError(422, message);
  router.on(
    "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
    async ({ params, body, caller }) => {
      const repo = findRepo(ctx, params);
      const file = workflowFileName(repo, params.workflow_id);
      const sha = await resolveBranchOrSha(repo.gitDir, body.ref);
      if (!sha) throw refused(`No ref found for: ${body.ref}`);
      const workflow = await readWorkflowFile(repo.gitDir, sha, file);
      if (!workflow) throw notFound(`Not Found: no .github/workflows/${file} on ${body.ref}`);
      if (!workflow.hasDispatch) throw refused("Workflow does not have 'workflow_dispatch' trigger");
      const given = Object.fromEntries(
        Object.entries(body.inputs ?? {}).map(([name, value]) => [
          name,
          typeof value === "string" ? value : JSON.stringify(value),
        ]),
      );
      const unexpected = Object.keys(given).filter((name) => !(name in workflow.dispatchInputs));
      if (unexpected.length > 0) throw refused(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
      const inputs: Record<string, string> = {};
      for (const [name, spec] of Object.entries(workflow.dispatchInputs)) {
        const value = given[name] ?? spec.default;
        if (value === undefined && spec.required) throw refused(`Required input '${name}' not provided`);
        if (value !== undefined) inputs[name] = value;
      }
      if (JSON.stringify(inputs).length > 65_535) throw new GitHubError(422, "inputs are too large");
      const run = newRun(ctx, {
        repo,
        file,
        workflow,
        sha,
        branch: body.ref.replace(/^refs\/heads\//, ""),
        event: "workflow_dispatch",
        actor: callerUser(ctx, caller),
        inputs,
      });
      ctx.state.runs.push(run);
      ctx.emit({ name: "workflow_dispatch", run });
      if (!body.return_run_details) return { status: 204, body: undefined };
      const shape = workflowRunShape(run, ctx.urls);
      return { status: 200, body: { workflow_run_id: run.id, run_url: shape.url, html_url: shape.html_url } };
    },
  );

  router.on("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", ({ params, query }) => {
    const repo = findRepo(ctx, params);
    const runs = runsMatching(repo, query, workflowFileName(repo, params.workflow_id));
    return {
      status: 200,
      body: {
        total_count: runs.length,
        workflow_runs: paginate(runs, query).map((r) => workflowRunShape(r, ctx.urls)),
      },
    };
  });

  router.on("GET /repos/{owner}/{repo}/actions/runs", ({ params, query }) => {
    const runs = runsMatching(findRepo(ctx, params), query);
    return {
      status: 200,
      body: {
        total_count: runs.length,
        workflow_runs: paginate(runs, query).map((r) => workflowRunShape(r, ctx.urls)),
      },
    };
  });

  router.on("GET /repos/{owner}/{repo}/actions/runs/{run_id}", ({ params }) => ({
    status: 200,
    body: workflowRunShape(findRun(params), ctx.urls),
  }));

  router.on("GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs", ({ params }) => {
    const run = findRun(params);
    return { status: 200, body: { total_count: 1, jobs: [jobShape(run, ctx.urls)] } };
  });

  router.on("POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel", ({ params }) => {
    const run = findRun(params);
    if (run.status === "completed")
      throw new GitHubError(409, "Cannot cancel a workflow run that is completed.");
    ctx.emit({ name: "workflow_run.cancel", run });
    return { status: 202, body: {} };
  });
}

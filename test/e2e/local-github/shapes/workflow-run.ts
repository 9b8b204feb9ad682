import type { components } from "@octokit/openapi-types";
import type { RunRecord } from "../state.ts";
import { minimalRepositoryShape } from "./repository.ts";
import type { Urls } from "./urls.ts";
import { userShape } from "./user.ts";

export type WorkflowRun = components["schemas"]["workflow-run"];
export type Job = components["schemas"]["job"];
export type Workflow = components["schemas"]["workflow"];

export function workflowShape(run: RunRecord, urls: Urls): Workflow {
  const fullName = `${run.repo.owner.login}/${run.repo.name}`;
  const path = `.github/workflows/${run.workflowFile}`;
  return {
    id: run.workflowId,
    node_id: `W_${run.workflowId}`,
    name: run.workflowName,
    path,
    state: "active",
    created_at: run.repo.createdAt,
    updated_at: run.repo.createdAt,
    url: `${urls.api}/repos/${fullName}/actions/workflows/${run.workflowId}`,
    html_url: `${urls.html}/${fullName}/blob/${run.repo.defaultBranch}/${path}`,
    badge_url: `${urls.html}/${fullName}/workflows/${encodeURIComponent(run.workflowName)}/badge.svg`,
  };
}

export function workflowRunShape(run: RunRecord, urls: Urls): WorkflowRun {
  const fullName = `${run.repo.owner.login}/${run.repo.name}`;
  const repoApi = `${urls.api}/repos/${fullName}`;
  const url = `${repoApi}/actions/runs/${run.id}`;
  return {
    id: run.id,
    name: run.workflowName,
    node_id: `WFR_${run.id}`,
    check_suite_id: run.id,
    check_suite_node_id: `CS_${run.id}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: `.github/workflows/${run.workflowFile}`,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url,
    html_url: `${urls.html}/${fullName}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    actor: userShape(run.actor, urls),
    triggering_actor: userShape(run.actor, urls),
    run_started_at: run.runStartedAt,
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${repoApi}/check-suites/${run.id}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${repoApi}/actions/workflows/${run.workflowId}`,
    head_commit: null,
    repository: minimalRepositoryShape(run.repo, urls),
    head_repository: minimalRepositoryShape(run.repo, urls),
    display_title: run.displayTitle,
  };
}

/** The run's one job: the runner name is where the app reads which machine ran the task. */
export function jobShape(run: RunRecord, urls: Urls): Job {
  const fullName = `${run.repo.owner.login}/${run.repo.name}`;
  const repoApi = `${urls.api}/repos/${fullName}`;
  return {
    id: run.id,
    run_id: run.id,
    run_url: `${repoApi}/actions/runs/${run.id}`,
    run_attempt: 1,
    node_id: `J_${run.id}`,
    head_sha: run.headSha,
    url: `${repoApi}/actions/jobs/${run.id}`,
    html_url: `${urls.html}/${fullName}/actions/runs/${run.id}/job/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    created_at: run.createdAt,
    started_at: run.runStartedAt,
    completed_at: run.status === "completed" ? run.updatedAt : null,
    name: "agent",
    steps: [],
    check_run_url: `${repoApi}/check-runs/${run.id}`,
    labels: ["self-hosted", "agent"],
    runner_id: run.runnerName === null ? null : 1,
    runner_name: run.runnerName,
    runner_group_id: run.runnerName === null ? null : 1,
    runner_group_name: run.runnerName === null ? null : "Default",
    workflow_name: run.workflowName,
    head_branch: run.headBranch,
  };
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "../helpers/octokit.ts";
import { LocalGitHub } from "../local-github/local-github.ts";
import { expandMatrix } from "../local-github/matrix.ts";
import type { RepoRecord, RunRecord } from "../local-github/state.ts";

const WORKFLOW = `name: automations
run-name: \${{ github.event_name == 'workflow_dispatch' && format('automation {0}', inputs.automation) || 'scheduled' }}
on:
  schedule:
    - cron: "17 5 * * 1"
    - cron: "0 3 * * *"
  workflow_dispatch:
    inputs:
      automation:
        required: true
jobs:
  run:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        automation: \${{ fromJSON(github.event_name == 'workflow_dispatch' && format('[{0}]', toJSON(inputs.automation)) || github.event.schedule == '0 3 * * *' && '["nightly"]' || '["weekly-a", "weekly-b"]') }}
    steps:
      - run: echo
`;

describe("local GitHub: scheduled runs and a job matrix, as GitHub starts them", () => {
  let github: LocalGitHub;
  let repo: RepoRecord;
  const runs: RunRecord[] = [];

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    repo = await github.createRepo("widget", {
      ".github/workflows/automations.yml": WORKFLOW,
      ".github/workflows/plain.yml": "name: plain\non: workflow_dispatch\njobs: {}\n",
    });
    github.addCollaborator(repo, "alice", "maintain");
    // No runner attached: runs stay queued, which is all these rules need.
    github.onDispatch((run) => runs.push(run));
  });

  afterAll(async () => {
    await github?.close();
  });

  it("a schedule runs as the user named, on the default branch, with github.event.schedule set", async () => {
    const run = await github.fireSchedule(repo, "automations.yml", "alice", "0 3 * * *");
    expect(run).toMatchObject({
      event: "schedule",
      actor: { login: "alice" },
      headBranch: "main",
      inputs: {},
      eventPayload: { schedule: "0 3 * * *" },
      displayTitle: "scheduled",
      jobs: [{ automation: "nightly" }],
    });
    const weekly = await github.fireSchedule(repo, "automations.yml", "alice");
    expect(weekly.jobs).toEqual([{ automation: "weekly-a" }, { automation: "weekly-b" }]);
  });

  it("refuses to fire a cron the workflow does not declare: GitHub would never start that run", async () => {
    await expect(github.fireSchedule(repo, "plain.yml", "alice")).rejects.toThrow(/no on.schedule cron/);
    await expect(github.fireSchedule(repo, "automations.yml", "alice", "* * * * *")).rejects.toThrow(
      /no on.schedule cron/,
    );
  });

  it("a dispatch renders the matrix from its inputs: one job for the automation named, quotes and all", async () => {
    await octokitFor(github, github.userToken("alice")).rest.actions.createWorkflowDispatch({
      owner: "acme",
      repo: "widget",
      workflow_id: "automations.yml",
      ref: "main",
      inputs: { automation: 'we"ird' },
    });
    const run = github.state.runs.at(-1)!;
    expect(run).toMatchObject({ event: "workflow_dispatch", displayTitle: 'automation we"ird' });
    expect(run.jobs).toEqual([{ automation: 'we"ird' }]);
  });

  it("expands lists into every combination, and refuses an empty vector as GitHub does", () => {
    expect(expandMatrix({ os: ["a", "b"], node: [20, 22] }, { inputs: {} })).toEqual([
      { os: "a", node: "20" },
      { os: "a", node: "22" },
      { os: "b", node: "20" },
      { os: "b", node: "22" },
    ]);
    expect(expandMatrix(undefined, { inputs: {} })).toEqual([{}]);
    expect(() => expandMatrix({ os: [] }, { inputs: {} })).toThrow(
      "Matrix vector 'os' does not contain any values",
    );
  });
});

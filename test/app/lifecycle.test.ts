import { describe, expect, it } from "vitest";
import { parseStatusMarker, renderRunName } from "../../core/status-marker.ts";
import {
  appComment,
  commentPayload,
  createApp,
  deliver,
  example,
  github,
  ISSUE,
  mockComments,
  mockConfig,
  mockGate,
  mockPermission,
  mockReply,
  mockStatusEdit,
  R,
  statusBody,
} from "./harness.ts";
import { mockDispatch } from "./mock-dispatch.ts";

const STATUS_ID = 9300;

function runPayload(conclusion: string, runId = 555, statusCommentId = STATUS_ID) {
  const payload = example("workflow_run", "completed", 0);
  payload.workflow_run.id = runId;
  payload.workflow_run.conclusion = conclusion;
  payload.workflow_run.event = "workflow_dispatch";
  payload.workflow_run.path = ".github/workflows/agent.yml";
  payload.workflow_run.html_url = `https://github.com/Codertocat/Hello-World/actions/runs/${runId}`;
  payload.workflow_run.display_title = renderRunName({
    owner: "Codertocat",
    name: "Hello-World",
    number: ISSUE,
    statusCommentId,
  });
  payload.repository.owner.login = "Codertocat";
  payload.repository.name = "Hello-World";
  return payload;
}

describe("workflow_run.completed", () => {
  it("ends a status the runner never finished with what GitHub knows and a retry hint", async () => {
    const { probot, metrics } = await createApp();
    const scope = github();
    // Read once to decide, and again right before the edit (compare-before-write, core/status-state.ts).
    scope
      .get(`${R}/issues/comments/${STATUS_ID}`)
      .times(2)
      .reply(
        200,
        appComment(
          STATUS_ID,
          statusBody({ state: "running", run: { id: 555, repo: "Codertocat/Hello-World" } }),
        ),
      );
    scope.get(`${R}/contents/.github%2Fagent.yml`).reply(404, { message: "Not Found" });
    const edited = mockStatusEdit(scope, STATUS_ID);
    await deliver(probot, "workflow_run", runPayload("failure"));
    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(edited.text())).toMatchObject({
      state: "failed",
      run: { id: 555, url: "https://github.com/Codertocat/Hello-World/actions/runs/555" },
    });
    expect(edited.text()).toContain(
      "ended with `failure` before the agent reported (the runner may have died",
    );
    expect(edited.text()).toContain("Retry with `/agent fix` (or re-add the `agent` label)");
    expect(metrics.deliveries.get({ event: "workflow_run.completed", outcome: "closed" })).toBe(1);
  });

  it("marks a cancelled run cancelled", async () => {
    const { probot } = await createApp();
    const scope = github();
    scope
      .get(`${R}/issues/comments/${STATUS_ID}`)
      .times(2)
      .reply(200, appComment(STATUS_ID, statusBody({ state: "queued" })));
    scope.get(`${R}/contents/.github%2Fagent.yml`).reply(404, { message: "Not Found" });
    const edited = mockStatusEdit(scope, STATUS_ID);
    await deliver(probot, "workflow_run", runPayload("cancelled"));
    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(edited.text())?.state).toBe("cancelled");
  });

  it("keeps the action's result when it lands between the App's read and its edit", async () => {
    const { probot, metrics } = await createApp();
    const run = { id: 555, repo: "Codertocat/Hello-World" };
    const scope = github();
    scope
      .get(`${R}/issues/comments/${STATUS_ID}`)
      .reply(200, appComment(STATUS_ID, statusBody({ state: "running", run })));
    scope.get(`${R}/contents/.github%2Fagent.yml`).reply(404, { message: "Not Found" });
    // The second read, right before the edit, finds the action's "succeeded": no PATCH is mocked,
    // so an edit would fail the delivery.
    scope
      .get(`${R}/issues/comments/${STATUS_ID}`)
      .reply(200, appComment(STATUS_ID, statusBody({ state: "succeeded", run })));
    await deliver(probot, "workflow_run", runPayload("failure"));
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "workflow_run.completed", outcome: "ignored" })).toBe(1);
  });

  it.each([
    ["already terminal", appComment(STATUS_ID, statusBody({ state: "succeeded" })), true],
    [
      "another run's status",
      appComment(STATUS_ID, statusBody({ state: "running", run: { id: 1, repo: "Codertocat/Hello-World" } })),
      true,
    ],
    [
      "not written by the App",
      { ...appComment(STATUS_ID, statusBody({ state: "running" })), performed_via_github_app: null },
      false,
    ],
  ])("leaves a status alone when it is %s", async (_case, comment, readsConfig) => {
    const { probot, metrics } = await createApp();
    const scope = github().get(`${R}/issues/comments/${STATUS_ID}`).reply(200, comment);
    if (readsConfig) scope.get(`${R}/contents/.github%2Fagent.yml`).reply(404, { message: "Not Found" });
    await deliver(probot, "workflow_run", runPayload("failure"));
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "workflow_run.completed", outcome: "ignored" })).toBe(1);
  });

  // Issue #13, item 3: a run that is not ours never changes our state. nock fails the delivery on
  // any request it was not told about, so "no PATCH mocked" is "no edit made".
  it("ignores a fork's CI run whose title copies our run-name tag, without a single API call", async () => {
    const { probot, metrics } = await createApp();
    const payload = runPayload("failure");
    payload.workflow_run.event = "pull_request";
    await deliver(probot, "workflow_run", payload);
    expect(metrics.deliveries.get({ event: "workflow_run.completed", outcome: "ignored" })).toBe(1);
  });

  it.each([
    ["another workflow of the repository", { path: ".github/workflows/ci.yml" }],
    ["a run without a workflow path", { path: "" }],
    ["a run in another repository", { repo: "mallory/Hello-World" }],
  ] as Array<[string, { path?: string; repo?: string }]>)(
    "leaves a queued status alone for %s",
    async (_case, change) => {
      const { probot, metrics } = await createApp();
      const scope = github()
        .get(`${R}/issues/comments/${STATUS_ID}`)
        .reply(200, appComment(STATUS_ID, statusBody({ state: "queued" })));
      scope.get(`${R}/contents/.github%2Fagent.yml`).reply(404, { message: "Not Found" });
      const payload = runPayload("failure");
      if (change.path !== undefined) payload.workflow_run.path = change.path;
      if (change.repo) {
        const [owner, name] = change.repo.split("/");
        payload.repository.owner.login = owner!;
        payload.repository.name = name!;
      }
      await deliver(probot, "workflow_run", payload);
      expect(scope.isDone()).toBe(true);
      expect(metrics.deliveries.get({ event: "workflow_run.completed", outcome: "ignored" })).toBe(1);
    },
  );

  it("takes a run of the configured workflow in the central runner repository (dispatch.repo)", async () => {
    const { probot } = await createApp();
    const scope = github()
      .get(`${R}/issues/comments/${STATUS_ID}`)
      .times(2)
      .reply(200, appComment(STATUS_ID, statusBody({ state: "queued" })));
    scope
      .get(`${R}/contents/.github%2Fagent.yml`)
      .reply(200, "dispatch:\n  repo: acme/runners\n  workflow: inhouse.yml\n");
    const edited = mockStatusEdit(scope, STATUS_ID);
    const payload = runPayload("failure");
    payload.workflow_run.path = ".github/workflows/inhouse.yml";
    payload.repository.owner.login = "acme";
    payload.repository.name = "runners";
    await deliver(probot, "workflow_run", payload);
    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(edited.text())).toMatchObject({
      state: "failed",
      run: { id: 555, repo: "acme/runners" },
    });
  });

  it("ignores runs that are not agent runs", async () => {
    const { probot, metrics } = await createApp();
    await deliver(probot, "workflow_run", example("workflow_run", "completed", 1));
    expect(metrics.deliveries.get({ event: "workflow_run.completed", outcome: "ignored" })).toBe(1);
  });
});

describe("/agent stop", () => {
  it("cancels the running task's workflow run, ends its status and says so", async () => {
    const { probot, metrics } = await createApp();
    const running = appComment(
      STATUS_ID,
      statusBody({ state: "running", run: { id: 777, repo: "acme/runners" } }),
    );
    const scope = mockGate({ config: "dispatch:\n  repo: acme/runners\n", comments: [running] });
    scope.post("/repos/acme/runners/actions/runs/777/cancel").reply(202, {});
    scope.get(`${R}/issues/comments/${STATUS_ID}`).reply(200, running);
    const edited = mockStatusEdit(scope, STATUS_ID);
    scope
      .post(`${R}/issues/${ISSUE}/comments`, (body) =>
        body.body.includes("Stopped: cancelled workflow run #777"),
      )
      .reply(201, { id: 1 });
    await deliver(probot, "issue_comment", commentPayload("/agent stop"));
    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(edited.text())).toMatchObject({ state: "cancelled", run: { id: 777 } });
    expect(edited.text()).toContain("Cancelled by @Codertocat");
    expect(metrics.deliveries.get({ event: "issue_comment.created", outcome: "cancelled" })).toBe(1);
  });

  it("still ends the status when the run had already finished (409)", async () => {
    const { probot } = await createApp();
    const scope = mockConfig(github(), null);
    const running = appComment(
      STATUS_ID,
      statusBody({ state: "running", run: { id: 5, repo: "Codertocat/Hello-World" } }),
    );
    mockPermission(scope, "Codertocat", "write");
    mockComments(scope, [running]);
    scope
      .post(`${R}/actions/runs/5/cancel`)
      .reply(409, { message: "Cannot cancel a workflow run that is completed." });
    scope.get(`${R}/issues/comments/${STATUS_ID}`).reply(200, running);
    scope
      .patch(
        `${R}/issues/comments/${STATUS_ID}`,
        (body) => parseStatusMarker(body.body)?.state === "cancelled",
      )
      .reply(200, {});
    scope.post(`${R}/issues/${ISSUE}/comments`).reply(201, { id: 1 });
    await deliver(probot, "issue_comment", commentPayload("/agent stop"));
    expect(scope.isDone()).toBe(true);
  });

  it("never overwrites a result that lands while it cancels: the task's outcome stays, and it says so", async () => {
    const { probot } = await createApp();
    const run = { id: 5, repo: "Codertocat/Hello-World" };
    const scope = mockGate({ comments: [appComment(STATUS_ID, statusBody({ state: "running", run }))] });
    scope
      .post(`${R}/actions/runs/5/cancel`)
      .reply(409, { message: "Cannot cancel a workflow run that is completed." });
    // By the read before the edit, the action has written its result: no PATCH is mocked.
    scope
      .get(`${R}/issues/comments/${STATUS_ID}`)
      .reply(200, appComment(STATUS_ID, statusBody({ state: "succeeded", run })));
    const said = mockReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/agent stop"));
    expect(scope.isDone()).toBe(true);
    expect(said.text()).toMatch(/^Nothing to stop: \[this task\]\(.+\) has just ended \(succeeded\)\.$/);
  });

  it("says so when nothing is running", async () => {
    const { probot } = await createApp();
    const scope = mockGate({ comments: [appComment(STATUS_ID, statusBody({ state: "succeeded" }))] });
    scope
      .post(`${R}/issues/${ISSUE}/comments`, (body) => body.body.startsWith("Nothing is running here"))
      .reply(201, { id: 1 });
    await deliver(probot, "issue_comment", commentPayload("/agent stop"));
    expect(scope.isDone()).toBe(true);
  });
});

describe("pull_request.opened / ready_for_review", () => {
  function prPayload(action: "opened" | "ready_for_review", draft = false) {
    const payload = example("pull_request", action);
    payload.pull_request.draft = draft;
    payload.pull_request.number = ISSUE;
    payload.sender.login = "Codertocat";
    payload.sender.type = "User";
    return payload;
  }

  it("starts a review when automations.reviewPullRequests is on", async () => {
    const { probot } = await createApp();
    const scope = mockGate({ config: "automations:\n  reviewPullRequests: true\n" });
    const sent = mockDispatch(scope, { statusId: STATUS_ID });
    await deliver(probot, "pull_request", prPayload("opened"));
    expect(scope.isDone()).toBe(true);
    expect(sent.task()).toMatchObject({
      kind: "review",
      number: ISSUE,
      trigger: { event: "pull_request" },
    });
  });

  it("does nothing without reviewPullRequests", async () => {
    const { probot, metrics } = await createApp();
    const scope = mockConfig(github(), null);
    await deliver(probot, "pull_request", prPayload("opened"));
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "pull_request", outcome: "ignored" })).toBe(1);
  });

  it("skips drafts until they are ready for review", async () => {
    const { probot, metrics } = await createApp();
    await deliver(probot, "pull_request", prPayload("opened", true));
    expect(metrics.deliveries.get({ event: "pull_request", outcome: "ignored" })).toBe(1);
  });

  it("skips authors below the minimum without a comment", async () => {
    const { probot, metrics } = await createApp();
    const scope = mockConfig(github(), "automations:\n  reviewPullRequests: true\n");
    mockPermission(scope, "Codertocat", "read");
    await deliver(probot, "pull_request", prPayload("ready_for_review"));
    expect(scope.isDone()).toBe(true);
    expect(metrics.refusals.get({ reason: "permission" })).toBe(1);
  });
});

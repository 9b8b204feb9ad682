import { describe, expect, it } from "vitest";
import { parseStatusMarker, renderRunName } from "../../core/status-marker.ts";
import {
  createApp,
  deliver,
  github,
  ISSUE,
  labeledPayload,
  mockComments,
  mockConfig,
  mockPermission,
  NOW,
  R,
} from "./harness.ts";
import { mockNoRunListed } from "./mock-dispatch.ts";

const STATUS_ID = 9200;

/** Everything up to the dispatch call; returns the bodies the status comment was given. */
function upToDispatch(config: string | null = null) {
  const scope = mockConfig(github(), config);
  mockPermission(scope, "Codertocat", "admin");
  mockComments(scope, []);
  scope.post(`${R}/issues/${ISSUE}/reactions`, { content: "eyes" }).reply(201, {});
  const bodies: string[] = [];
  scope
    .post(`${R}/issues/${ISSUE}/comments`, (body) => {
      bodies.push(body.body);
      return true;
    })
    .reply(201, { id: STATUS_ID });
  return { scope, bodies };
}

function captureEdit(scope: ReturnType<typeof github>, bodies: string[]) {
  scope
    .patch(`${R}/issues/comments/${STATUS_ID}`, (body) => {
      bodies.push(body.body);
      return true;
    })
    .reply(200, {});
}

describe("dispatch failures become advice in the status comment", () => {
  it.each([
    [
      404,
      { message: "Not Found" },
      "workflow-missing",
      "The workflow `.github/workflows/agent.yml` was not found in `Codertocat/Hello-World`",
    ],
    [
      403,
      { message: "Resource not accessible by integration" },
      "forbidden",
      "it needs the `actions: write` permission",
    ],
    [
      422,
      { message: 'Unexpected inputs provided: ["task"]' },
      "invalid-inputs",
      'GitHub rejected the dispatch of `.github/workflows/agent.yml` in `Codertocat/Hello-World` (422: Unexpected inputs provided: ["task"])',
    ],
  ])("%i", async (status, answer, problem, advice) => {
    const { probot, metrics } = await createApp();
    const { scope, bodies } = upToDispatch();
    scope.post(`${R}/actions/workflows/agent.yml/dispatches`).reply(status, answer);
    scope.get(`${R}/issues/comments/${STATUS_ID}`).reply(200, () => ({ body: bodies[0] }));
    captureEdit(scope, bodies);
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    const final = bodies.at(-1) ?? "";
    expect(parseStatusMarker(final)?.state).toBe("failed");
    expect(final).toContain(advice);
    expect(final).toContain("retry with `/agent fix`");
    expect(metrics.dispatches.get({ kind: "fix-issue", result: problem })).toBe(1);
    expect(metrics.deliveries.get({ event: "issues.labeled", outcome: "dispatch-failed" })).toBe(1);
  });

  // Compare-before-write (core/status-state.ts): the failure is written only over the "queued" the
  // App wrote. No PATCH is mocked, so an edit would fail the delivery.
  it.each([
    ["a run that started after all", "running", false],
    ["a task stopped meanwhile", "cancelled", true],
  ] as const)("never overwrites %s; an outcome the comment lacks goes apart", async (_case, found, apart) => {
    const { probot, metrics } = await createApp();
    const { scope, bodies } = upToDispatch();
    scope.post(`${R}/actions/workflows/agent.yml/dispatches`).reply(404, { message: "Not Found" });
    scope.get(`${R}/issues/comments/${STATUS_ID}`).reply(200, () => ({
      body: (bodies[0] ?? "").replace('"state":"queued"', `"state":"${found}"`),
    }));
    const said: string[] = [];
    if (apart) {
      scope.post(`${R}/issues/${ISSUE}/comments`, (body) => said.push(body.body) > 0).reply(201, { id: 1 });
    }
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(parseStatusMarker(bodies[0] ?? "")?.state).toBe("queued");
    if (apart) {
      expect(parseStatusMarker(said[0] ?? "")).toBeUndefined();
      expect(said[0]).toContain("The workflow `.github/workflows/agent.yml` was not found");
    }
    expect(metrics.deliveries.get({ event: "issues.labeled", outcome: "dispatch-failed" })).toBe(1);
  });

  it("dispatches to the central runner repository on its default branch", async () => {
    const { probot } = await createApp();
    const { scope, bodies } = upToDispatch("dispatch:\n  repo: acme/runners\n  workflow: inhouse.yml\n");
    scope.get("/repos/acme/runners").reply(200, { default_branch: "trunk" });
    scope
      .post("/repos/acme/runners/actions/workflows/inhouse.yml/dispatches", (body) => body.ref === "trunk")
      .reply(200, { workflow_run_id: 8, html_url: "https://github.com/acme/runners/actions/runs/8" });
    scope.get(`${R}/issues/comments/${STATUS_ID}`).reply(200, () => ({ body: bodies[0] }));
    captureEdit(scope, bodies);
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(bodies.at(-1) ?? "")?.run).toEqual({
      id: 8,
      repo: "acme/runners",
      url: "https://github.com/acme/runners/actions/runs/8",
    });
    // Recorded before the dispatch, so the action can confirm its runner repository at once.
    expect(parseStatusMarker(bodies[0] ?? "")?.runner).toBe("acme/runners");
  });
});

describe("the App-wide default runner repository (INHOUSE_DEFAULT_RUNNER_REPO)", () => {
  function dispatchTo(scope: ReturnType<typeof github>, repo: string, workflow = "agent.yml") {
    scope.get(`/repos/${repo}`).reply(200, { default_branch: "trunk" });
    scope
      .post(`/repos/${repo}/actions/workflows/${workflow}/dispatches`, (body) => body.ref === "trunk")
      .reply(200, { workflow_run_id: 8, html_url: `https://github.com/${repo}/actions/runs/8` });
  }

  it("a repository with no .github/agent.yml dispatches to the default runner repository", async () => {
    const { probot } = await createApp({ defaultRunnerRepo: "acme/agent-runners" });
    const { scope, bodies } = upToDispatch(null);
    dispatchTo(scope, "acme/agent-runners");
    scope.get(`${R}/issues/comments/${STATUS_ID}`).reply(200, () => ({ body: bodies[0] }));
    captureEdit(scope, bodies);
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(bodies[0] ?? "")).toMatchObject({
      state: "queued",
      runner: "acme/agent-runners",
    });
  });

  it("a repository's own dispatch.repo overrides the default", async () => {
    const { probot } = await createApp({ defaultRunnerRepo: "acme/agent-runners" });
    const { scope, bodies } = upToDispatch("dispatch:\n  repo: acme/gpu-runners\n");
    dispatchTo(scope, "acme/gpu-runners");
    scope.get(`${R}/issues/comments/${STATUS_ID}`).reply(200, () => ({ body: bodies[0] }));
    captureEdit(scope, bodies);
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(bodies[0] ?? "")?.runner).toBe("acme/gpu-runners");
  });

  it("a repository naming itself keeps its own workflow, and its marker names no other runner", async () => {
    const { probot } = await createApp({ defaultRunnerRepo: "acme/agent-runners" });
    const { scope, bodies } = upToDispatch(`dispatch:\n  repo: ${R.slice("/repos/".length)}\n`);
    scope
      .post(`${R}/actions/workflows/agent.yml/dispatches`)
      .reply(200, { workflow_run_id: 9, html_url: "https://github.com/x/actions/runs/9" });
    scope.get(`${R}/issues/comments/${STATUS_ID}`).reply(200, () => ({ body: bodies[0] }));
    captureEdit(scope, bodies);
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(bodies[0] ?? "")?.runner).toBeUndefined();
  });
});

describe("servers that answer 204 to a dispatch", () => {
  it("finds the run by its run-name tag among runs created since the dispatch", async () => {
    const { probot } = await createApp();
    const { scope, bodies } = upToDispatch();
    scope.post(`${R}/actions/workflows/agent.yml/dispatches`).reply(204);
    const since = new Date(NOW.getTime() - 60_000).toISOString();
    const run = (id: number, statusCommentId: number, minutes: number) => ({
      id,
      display_title: renderRunName({ owner: "Codertocat", name: "Hello-World", number: 7, statusCommentId }),
      created_at: new Date(NOW.getTime() + minutes * 60_000).toISOString(),
      html_url: `https://github.com/runs/${id}`,
    });
    scope
      .get(`${R}/actions/workflows/agent.yml/runs`)
      .query({ event: "workflow_dispatch", created: `>=${since}`, per_page: 20 })
      // The newest run belongs to another task; ours is the one naming our status comment.
      .reply(200, { total_count: 2, workflow_runs: [run(31, STATUS_ID, 0), run(32, 1234, 1)] });
    scope.get(`${R}/issues/comments/${STATUS_ID}`).reply(200, () => ({ body: bodies[0] }));
    captureEdit(scope, bodies);
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(bodies.at(-1) ?? "")).toMatchObject({ state: "queued", run: { id: 31 } });
  });

  it("takes the newest run when runs carry no tag", async () => {
    const { probot } = await createApp();
    const { scope, bodies } = upToDispatch();
    scope.post(`${R}/actions/workflows/agent.yml/dispatches`).reply(204);
    scope
      .get(`${R}/actions/workflows/agent.yml/runs`)
      .query(true)
      .reply(200, {
        total_count: 2,
        workflow_runs: [
          { id: 1, display_title: "Agent", created_at: "2026-01-02T03:04:06Z", html_url: "u1" },
          { id: 2, display_title: "Agent", created_at: "2026-01-02T03:04:07Z", html_url: "u2" },
        ],
      });
    scope.get(`${R}/issues/comments/${STATUS_ID}`).reply(200, () => ({ body: bodies[0] }));
    captureEdit(scope, bodies);
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(bodies.at(-1) ?? "")?.run?.id).toBe(2);
  });

  it("leaves the status queued without a run link when no run is found", async () => {
    const { probot, metrics } = await createApp();
    const { scope, bodies } = upToDispatch();
    scope.post(`${R}/actions/workflows/agent.yml/dispatches`).reply(204);
    mockNoRunListed(scope);
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(parseStatusMarker(bodies[0] ?? "")).toMatchObject({ state: "queued" });
    expect(parseStatusMarker(bodies[0] ?? "")?.run).toBeUndefined();
    expect(metrics.deliveries.get({ event: "issues.labeled", outcome: "dispatched" })).toBe(1);
  });

  it("retries without return_run_details when an older server rejects the parameter", async () => {
    const { probot } = await createApp();
    const { scope, bodies } = upToDispatch();
    scope
      .post(`${R}/actions/workflows/agent.yml/dispatches`, (body) => body.return_run_details === true)
      .reply(422, { message: 'Invalid request.\n\n"return_run_details" is not a permitted key.' });
    scope
      .post(
        `${R}/actions/workflows/agent.yml/dispatches`,
        (body) => !("return_run_details" in body) && "task" in body.inputs,
      )
      .reply(204);
    mockNoRunListed(scope);
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(bodies.at(-1) ?? "")?.state).toBe("queued");
  });

  it("does not overwrite a status the runner already moved on", async () => {
    const { probot } = await createApp();
    const { scope, bodies } = upToDispatch();
    scope
      .post(`${R}/actions/workflows/agent.yml/dispatches`)
      .reply(200, { workflow_run_id: 9, html_url: "u" });
    scope
      .get(`${R}/issues/comments/${STATUS_ID}`)
      .reply(200, () => ({ body: (bodies[0] ?? "").replace('"state":"queued"', '"state":"running"') }));
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
  });
});

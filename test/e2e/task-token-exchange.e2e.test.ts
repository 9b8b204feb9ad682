import { readFile } from "node:fs/promises";
import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStatusMarker, renderStatusComment } from "../../core/status-marker.ts";
import { taskTokenPermissions } from "../../core/task-token-permissions.ts";
import { type AppUnderTest, startApp } from "./helpers/app-under-test.ts";
import { octokitFor } from "./helpers/octokit.ts";
import { exchangeOidcToken } from "./helpers/task-token.ts";
import { AUTOMATIONS_WORKFLOW_PATH, agentWorkflow } from "./helpers/whole-system.ts";
import { LocalGitHub } from "./local-github/local-github.ts";
import type { IssueRecord, RepoRecord, RunRecord } from "./local-github/state.ts";

/**
 * The App's token exchange over HTTP (`POST /api/task-token`), against the local GitHub as OIDC
 * issuer (its JWKS at `<url>/_services/token/.well-known/jwks`): only a live run the App dispatched
 * gets a token, once per OIDC token, for the task's repository and kind only.
 */
describe("task token exchange", () => {
  let github: LocalGitHub;
  let app: AppUnderTest;
  let repo: RepoRecord;
  let other: RepoRecord;
  let issue: IssueRecord;
  let run: RunRecord;

  const exchange = (oidcToken: string, repository?: string) =>
    exchangeOidcToken(app.url, oidcToken, repository);

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    const files = { ".github/workflows/agent.yml": await agentWorkflow(), "README.md": "hi\n" };
    repo = await github.createRepo("widget", files);
    other = await github.createRepo("other", files);
    github.addCollaborator(repo, "alice", "write");
    github.addCollaborator(other, "mallory", "write");
    app = await startApp(github);
    issue = github.openIssue(repo, { title: "sum subtracts", user: "alice" });
    await github.labelIssue(issue, "agent", "alice");
    await github.idle();
    await app.idle();
    run = github.state.runs.find((r) => r.repo === repo)!;
    expect(run).toBeDefined();
    expect(run.idTokenWrite).toBe(true);
  });

  afterAll(async () => {
    await app?.close();
    await github?.close();
  });

  it("a live run the App dispatched gets a token for its repository, with the task kind's permissions", async () => {
    const { status, body } = await exchange(await github.oidc.mint(run, { audience: app.url }));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      repository: "acme/widget",
      app: { id: github.app.id, slug: github.app.slug },
      permissions: { metadata: "read", contents: "write", issues: "write", pull_requests: "write" },
    });
    const token = body.token as string;
    const gh = octokitFor(github, token);
    expect(
      (await gh.rest.issues.get({ owner: "acme", repo: "widget", issue_number: issue.number })).status,
    ).toBe(200);
    // Scoped to the one repository: another repository of the same installation is not found.
    await expect(gh.rest.repos.get({ owner: "acme", repo: "other" })).rejects.toMatchObject({ status: 404 });
    // And to the kind's permissions: nothing the task kind does not need (no Actions access).
    await expect(
      gh.rest.actions.getWorkflowRun({ owner: "acme", repo: "widget", run_id: run.id }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it("the same OIDC token a second time is refused (replay)", async () => {
    const oidc = await github.oidc.mint(run, { audience: app.url });
    expect((await exchange(oidc)).status).toBe(200);
    const replay = await exchange(oidc);
    expect(replay).toEqual({ status: 401, body: { message: expect.stringContaining("already exchanged") } });
  });

  it("a run a person dispatched in another repository gets nothing, whatever its task says", async () => {
    const task = JSON.parse(run.inputs.task!);
    const mallory = octokitFor(github, github.userToken("mallory"));
    await mallory.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
      owner: "acme",
      repo: "other",
      workflow_id: "agent.yml",
      ref: "main",
      inputs: { task: JSON.stringify(task) },
    });
    const forged = github.state.runs.find((r) => r.repo === other)!;
    const { status, body } = await exchange(await github.oidc.mint(forged, { audience: app.url }));
    expect(status).toBe(403);
    expect(body.message).toMatch(/was started by mallory \(workflow_dispatch\), not dispatched by the App/);
  });

  it("a token whose claims name another run is refused by its signature; an expired one and a wrong audience too", async () => {
    const valid = await github.oidc.mint(run, { audience: app.url });
    // Someone edits the claims of a real token (another run id) and keeps the signature.
    const [header, , signature] = valid.split(".");
    const claims = { ...decodeJwt(valid), run_id: "999999" };
    const edited = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    expect(await exchange(edited)).toMatchObject({
      status: 401,
      body: { message: expect.stringMatching(/signature/) },
    });

    const expired = await github.oidc.mint(run, { audience: app.url, expiresInSeconds: -120 });
    expect(await exchange(expired)).toMatchObject({
      status: 401,
      body: { message: expect.stringMatching(/expired/) },
    });

    const elsewhere = await github.oidc.mint(run, { audience: "https://someone-else.example" });
    expect(await exchange(elsewhere)).toMatchObject({
      status: 401,
      body: { message: expect.stringMatching(/aud/) },
    });
  });

  it("a token signed with a key the issuer never published is refused", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const real = decodeJwt(await github.oidc.mint(run, { audience: app.url }));
    const header = JSON.parse(
      Buffer.from(
        (await github.oidc.mint(run, { audience: app.url })).split(".")[0]!,
        "base64url",
      ).toString(),
    ) as { kid: string };
    const forged = await new SignJWT({ ...real, jti: "forged-1" })
      .setProtectedHeader({ alg: "RS256", kid: header.kid })
      .sign(privateKey);
    expect(await exchange(forged)).toMatchObject({
      status: 401,
      body: { message: expect.stringMatching(/signature/) },
    });
  });

  it("a run the App's bot started in a repository other than the one its status comment records gets nothing", async () => {
    // The App's own comment says where it dispatched the task (its own repository: no runner, and
    // here the run not yet recorded). A run elsewhere, even one the App's bot started, is not that task.
    const bot = octokitFor(github, github.installationToken());
    const [status] = github.commentsOn(issue).filter((c) => c.body.startsWith("<!-- inhouse:status"));
    const marker = parseStatusMarker(status!.body)!;
    const { run: _recorded, ...unrecorded } = marker;
    await bot.rest.issues.updateComment({
      owner: "acme",
      repo: "widget",
      comment_id: status!.id,
      body: renderStatusComment(unrecorded, "queued"),
    });
    await bot.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
      owner: "acme",
      repo: "other",
      workflow_id: "agent.yml",
      ref: "main",
      inputs: { task: run.inputs.task! },
    });
    const elsewhere = github.state.runs.filter((r) => r.repo === other).at(-1)!;
    const answer = await exchange(await github.oidc.mint(elsewhere, { audience: app.url }));
    expect(answer.status).toBe(403);
    expect(answer.body.message).toMatch(/dispatched its task to acme\/widget, not to acme\/other/);
    // The run it was dispatched to still gets its token.
    expect((await exchange(await github.oidc.mint(run, { audience: app.url }))).status).toBe(200);
  });

  it("a run that has finished gets nothing", async () => {
    await github.completeRun(run, "success");
    await github.idle();
    await app.idle();
    const { status, body } = await exchange(await github.oidc.mint(run, { audience: app.url }));
    expect(status).toBe(403);
    expect(body.message).toMatch(/has finished|has ended/);
  });

  describe("the automations workflow (no App dispatch behind it)", () => {
    const automationsFile = "agent-automations.yml";
    const dispatch = async (login: string, ref = "main") => {
      const gh = octokitFor(github, github.userToken(login));
      await gh.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
        owner: "acme",
        repo: "widget",
        workflow_id: automationsFile,
        ref,
        inputs: { automation: "dependency-update" },
      });
      return github.state.runs.at(-1)!;
    };

    beforeAll(async () => {
      const template = await readFile(AUTOMATIONS_WORKFLOW_PATH, "utf8");
      await github.commit(
        repo,
        "main",
        { [`.github/workflows/${automationsFile}`]: template },
        "Automations",
      );
      github.addCollaborator(repo, "maya", "maintain");
    });

    it("a scheduled run gets a token for its own repository with an automation's permissions", async () => {
      const scheduled = await github.fireSchedule(repo, automationsFile, "alice");
      expect(scheduled.idTokenWrite).toBe(true);
      const { status, body } = await exchange(await github.oidc.mint(scheduled, { audience: app.url }));
      expect({ status, body }).toMatchObject({
        status: 200,
        body: { repository: "acme/widget", permissions: taskTokenPermissions("automation") },
      });
      const gh = octokitFor(github, body.token as string);
      await expect(gh.rest.repos.get({ owner: "acme", repo: "other" })).rejects.toMatchObject({
        status: 404,
      });
    });

    it("a manual dispatch passes the actor gate: maintain is accepted, write under `minimum: maintain` is refused", async () => {
      await github.commit(
        repo,
        "main",
        { ".github/agent.yml": "permissions:\n  minimum: maintain\n" },
        "Maintainers only",
      );
      const byMaya = await dispatch("maya");
      expect((await exchange(await github.oidc.mint(byMaya, { audience: app.url }))).status).toBe(200);
      const byAlice = await dispatch("alice");
      expect(await exchange(await github.oidc.mint(byAlice, { audience: app.url }))).toMatchObject({
        status: 403,
        body: {
          message: expect.stringMatching(/dispatched by alice: @alice has `write` permission.*`maintain`/),
        },
      });
    });

    it("the workflow from another branch, another event, or a finished run gets nothing", async () => {
      await github.commit(
        repo,
        "evil",
        { [`.github/workflows/${automationsFile}`]: await readFile(AUTOMATIONS_WORKFLOW_PATH, "utf8") },
        "A changed copy",
      );
      const onBranch = await dispatch("alice", "evil");
      expect(await exchange(await github.oidc.mint(onBranch, { audience: app.url }))).toMatchObject({
        status: 403,
        body: { message: expect.stringMatching(/workflow_ref .*@refs\/heads\/evil.*default branch main/) },
      });
      const scheduled = await github.fireSchedule(repo, automationsFile, "alice");
      const asPullRequest = await github.oidc.mint(scheduled, {
        audience: app.url,
        claims: { event_name: "pull_request" },
      });
      expect(await exchange(asPullRequest)).toMatchObject({
        status: 403,
        body: { message: expect.stringMatching(/'pull_request' gets no token/) },
      });
      await github.completeRun(scheduled, "success");
      expect(await exchange(await github.oidc.mint(scheduled, { audience: app.url }))).toMatchObject({
        status: 403,
        body: { message: expect.stringMatching(/has finished/) },
      });
    });
    it("a central runner repository's automation gets a token for a target that names it, and for no other", async () => {
      const runners = await github.createRepo("agent-runners", {
        [`.github/workflows/${automationsFile}`]: await readFile(AUTOMATIONS_WORKFLOW_PATH, "utf8"),
      });
      await github.commit(
        repo,
        "main",
        { ".github/agent.yml": "permissions:\n  minimum: maintain\ndispatch:\n  repo: acme/agent-runners\n" },
        "Run here from the central runner repository",
      );
      const scheduled = await github.fireSchedule(runners, automationsFile, "alice");
      const forWidget = await exchange(
        await github.oidc.mint(scheduled, { audience: app.url }),
        "acme/widget",
      );
      expect(forWidget).toMatchObject({ status: 200, body: { repository: "acme/widget" } });
      // acme/other never named acme/agent-runners: no token for it.
      const forOther = await exchange(await github.oidc.mint(scheduled, { audience: app.url }), "acme/other");
      expect(forOther).toMatchObject({
        status: 403,
        body: { message: expect.stringMatching(/acme\/other does not name it as its runner repository/) },
      });
      expect(forOther.body.token).toBeUndefined();
      // Naming its own repository is the same as naming none.
      const appRun = await exchange(
        await github.oidc.mint(scheduled, { audience: app.url }),
        "acme/agent-runners",
      );
      expect(appRun.status).toBe(200);
    });

    describe("run history", () => {
      const recordOf = (run: RunRecord) =>
        app.store.db
          .selectFrom("runs")
          .selectAll()
          .where("workflow_run_repo", "=", "acme/widget")
          .where("workflow_run_id", "=", run.id)
          .execute();
      const complete = async (run: RunRecord, conclusion: NonNullable<RunRecord["conclusion"]>) => {
        const delivery = await github.completeRun(run, conclusion);
        await app.idle();
        return delivery;
      };

      beforeAll(async () => {
        await github.commit(
          repo,
          "main",
          {
            ".github/agent.yml": await readFile("test/fixtures/automations/.github/agent.yml", "utf8"),
          },
          "Two automations, manual runs by maintainers",
        );
      });

      it("a granted manual dispatch is recorded running, with its automation, actor and run; its conclusion ends it", async () => {
        const byMaya = await dispatch("maya");
        expect((await exchange(await github.oidc.mint(byMaya, { audience: app.url }))).status).toBe(200);
        const [started, ...more] = await recordOf(byMaya);
        expect(more).toEqual([]);
        expect(started).toMatchObject({
          source: "automation",
          repository: "acme/widget",
          kind: "automation",
          automation: "dependency-update",
          trigger_event: "workflow_dispatch",
          actor: "maya",
          state: "running",
          number: null,
          status_comment_id: null,
          workflow_run_url: `${github.url}/acme/widget/actions/runs/${byMaya.id}`,
          conclusion: null,
        });
        // A second job of the same run (the schedule's matrix) trades its own token: still one record.
        expect((await exchange(await github.oidc.mint(byMaya, { audience: app.url }))).status).toBe(200);
        expect(await recordOf(byMaya)).toHaveLength(1);

        const delivery = await complete(byMaya, "success");
        const [ended] = await recordOf(byMaya);
        expect(ended).toMatchObject({ state: "succeeded", conclusion: "success", reason: null });
        expect(ended!.completed_at).toBeInstanceOf(Date);
        // A redelivered workflow_run.completed changes nothing.
        await github.redeliver(delivery);
        await app.idle();
        expect(await recordOf(byMaya)).toEqual([ended]);
      });

      it("a scheduled run is recorded with no automation name (it runs a list) and ends failed or cancelled", async () => {
        const failing = await github.fireSchedule(repo, automationsFile, "alice");
        const cancelled = await github.fireSchedule(repo, automationsFile, "alice");
        for (const run of [failing, cancelled]) {
          expect((await exchange(await github.oidc.mint(run, { audience: app.url }))).status).toBe(200);
        }
        expect(await recordOf(failing)).toMatchObject([
          { automation: null, trigger_event: "schedule", actor: "alice", state: "running" },
        ]);
        await complete(failing, "failure");
        await complete(cancelled, "cancelled");
        expect(await recordOf(failing)).toMatchObject([
          {
            state: "failed",
            conclusion: "failure",
            reason: "the automations workflow run concluded failure",
          },
        ]);
        expect(await recordOf(cancelled)).toMatchObject([{ state: "cancelled", conclusion: "cancelled" }]);
      });

      it("a central runner repository's run is recorded once for each repository it acted on", async () => {
        const records = await app.store.db
          .selectFrom("runs")
          .select(["repository", "kind", "trigger_event"])
          .where("workflow_run_repo", "=", "acme/agent-runners")
          .orderBy("repository")
          .execute();
        // acme/other was refused: only the targets that got a token.
        expect(records).toEqual([
          { repository: "acme/agent-runners", kind: "automation", trigger_event: "schedule" },
          { repository: "acme/widget", kind: "automation", trigger_event: "schedule" },
        ]);
      });

      it("a refused exchange records nothing, and its run's completion creates nothing", async () => {
        const byAlice = await dispatch("alice");
        expect((await exchange(await github.oidc.mint(byAlice, { audience: app.url }))).status).toBe(403);
        await complete(byAlice, "failure");
        expect(await recordOf(byAlice)).toEqual([]);
      });

      it("a dispatch naming an automation the config does not define records no name", async () => {
        const gh = octokitFor(github, github.userToken("maya"));
        await gh.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
          owner: "acme",
          repo: "widget",
          workflow_id: automationsFile,
          ref: "main",
          inputs: { automation: "no-such-automation" },
        });
        const run = github.state.runs.at(-1)!;
        expect((await exchange(await github.oidc.mint(run, { audience: app.url }))).status).toBe(200);
        expect(await recordOf(run)).toMatchObject([{ automation: null, actor: "maya" }]);
      });
    });
  });
});

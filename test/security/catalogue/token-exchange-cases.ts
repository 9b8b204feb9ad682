/**
 * Issue #12, item 2: the App's token exchange (`POST /api/task-token`) over HTTP, with the local
 * GitHub as the Actions OIDC issuer. Each case tries to get an installation token it must not get
 * and asserts that none was minted.
 */
import { afterAll, beforeAll, describe, expect } from "vitest";
import { type AppUnderTest, startApp } from "../../e2e/helpers/app-under-test.ts";
import { octokitFor } from "../../e2e/helpers/octokit.ts";
import {
  type ExchangeAnswer,
  editedClaims,
  exchangeOidcToken,
  signedWithForeignKey,
} from "../../e2e/helpers/task-token.ts";
import { agentWorkflow } from "../../e2e/helpers/whole-system.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import type { RepoRecord, RunRecord } from "../../e2e/local-github/state.ts";
import { attack } from "./registry.ts";

export function tokenExchangeCases(): void {
  describe("task tokens (the App's OIDC exchange)", () => {
    let github: LocalGitHub;
    let app: AppUnderTest;
    let repo: RepoRecord;
    let run: RunRecord;
    /** Task tokens minted: installation tokens restricted to named repositories (the exchange's kind). */
    const minted = () =>
      github
        .requests()
        .filter(
          (r) =>
            r.route === "POST /app/installations/{installation_id}/access_tokens" &&
            r.status === 201 &&
            Array.isArray((r.body as { repositories?: unknown } | undefined)?.repositories),
        ).length;
    const mint = (options: Parameters<LocalGitHub["oidc"]["mint"]>[1] = {}) =>
      github.oidc.mint(run, { audience: app.url, ...options });
    /** Refused, and no installation token was issued for it. */
    async function refused(oidcToken: string): Promise<ExchangeAnswer> {
      const before = minted();
      const answer = await exchangeOidcToken(app.url, oidcToken);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.body.token).toBeUndefined();
      expect(minted()).toBe(before);
      return answer;
    }

    beforeAll(async () => {
      github = await LocalGitHub.start({ owner: "acme" });
      const files = { ".github/workflows/agent.yml": await agentWorkflow(), "README.md": "hi\n" };
      repo = await github.createRepo("widget", files);
      await github.createRepo("other", files);
      github.addCollaborator(repo, "alice", "write");
      app = await startApp(github);
      await github.labelIssue(github.openIssue(repo, { title: "sum", user: "alice" }), "agent", "alice");
      await github.idle();
      await app.idle();
      run = github.state.runs.find((r) => r.repo === repo)!;
    });

    afterAll(async () => {
      await app?.close();
      await github?.close();
    });

    attack("an OIDC token traded once is refused the second time (replay)", async () => {
      const token = await mint();
      const before = minted();
      expect((await exchangeOidcToken(app.url, token)).status).toBe(200);
      expect(minted()).toBe(before + 1);
      expect(await refused(token)).toMatchObject({ status: 401, body: { message: /already exchanged/ } });
    });

    attack("a token edited to name another repository or run is refused by its signature", async () => {
      for (const changes of [{ repository: "acme/other" }, { run_id: "999999" }]) {
        const answer = await refused(editedClaims(await mint(), changes));
        expect(answer).toMatchObject({ status: 401, body: { message: /signature/ } });
      }
    });

    attack("a person's run of the agent workflow in another repository gets nothing", async () => {
      github.addCollaborator(github.state.repo("acme", "other")!, "mallory", "write");
      await octokitFor(github, github.userToken("mallory")).rest.actions.createWorkflowDispatch({
        owner: "acme",
        repo: "other",
        workflow_id: "agent.yml",
        ref: "main",
        inputs: { task: run.inputs.task! },
      });
      const forged = github.state.runs.at(-1)!;
      const answer = await refused(await github.oidc.mint(forged, { audience: app.url }));
      expect(answer).toMatchObject({ status: 403, body: { message: /not dispatched by the App/ } });
    });

    attack("an expired OIDC token is refused", async () => {
      const answer = await refused(await mint({ expiresInSeconds: -120 }));
      expect(answer).toMatchObject({ status: 401, body: { message: /expired/ } });
    });

    attack("a token signed with a key the issuer never published is refused", async () => {
      const answer = await refused(await signedWithForeignKey(await mint()));
      expect(answer).toMatchObject({ status: 401, body: { message: /signature/ } });
    });

    attack("a run whose task has finished gets nothing", async () => {
      await github.completeRun(run, "success");
      await github.idle();
      await app.idle();
      const answer = await refused(await mint());
      expect(answer).toMatchObject({ status: 403, body: { message: /has finished|has ended/ } });
    });
  });
}

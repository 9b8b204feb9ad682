/**
 * `npm start` with no database configured: the App started as `app/main.ts` starts it (start(), the
 * environment only), its run history PGlite in INHOUSE_DATA_DIR, records a task it dispatches, and
 * the dashboard is served on the same port. GitHub is the local GitHub, reached the way a GitHub
 * Enterprise Server App reaches its server (GHE_HOST, REST under /api/v3).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Started, start } from "../../app/start.ts";
import { TestOctokit } from "../e2e/helpers/app-under-test.ts";
import { agentWorkflow } from "../e2e/helpers/whole-system.ts";
import { LocalGitHub } from "../e2e/local-github/local-github.ts";
import { freePort } from "../helpers/free-port.ts";

describe("npm start with no database configured", () => {
  let github: LocalGitHub;
  let started: Started;
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    dataDir = await mkdtemp(join(tmpdir(), "inhouse-start-records-"));
    port = await freePort();
    started = await start({
      env: {
        INHOUSE_DATA_DIR: dataDir,
        APP_ID: String(github.app.id),
        PRIVATE_KEY: github.app.privateKey,
        WEBHOOK_SECRET: github.app.webhookSecret,
        GHE_HOST: new URL(github.url).host,
        GHE_PROTOCOL: "http",
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "fatal",
      },
      Octokit: TestOctokit,
    });
    github.connectApp(`http://127.0.0.1:${port}/api/github/webhooks`);
  }, 120_000);

  afterAll(async () => {
    github?.connectApp(undefined);
    await started?.server.stop();
    await started?.history?.close();
    await github?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("records the task a label starts in PGlite under INHOUSE_DATA_DIR, and serves the dashboard", async () => {
    expect(started.history?.store.backend).toBe("pglite");
    expect(started.history?.store.location).toContain(dataDir);
    const repo = await github.createRepo("widget", {
      "README.md": "# widget\n",
      ".github/workflows/agent.yml": await agentWorkflow(),
    });
    github.addCollaborator(repo, "alice", "write");
    const issue = github.openIssue(repo, { title: "sum subtracts", body: "sum(2, 3) is -1", user: "alice" });
    const delivery = await github.labelIssue(issue, "agent", "alice");
    expect(delivery.status).toBe(200);
    await github.idle();
    await started.queue.idle();

    expect(github.state.runs).toHaveLength(1);
    const runs = await started.history!.store.db.selectFrom("runs").selectAll().execute();
    expect(runs.map((r) => [r.repository, r.number, r.kind, r.actor, r.trigger_event, r.state])).toEqual([
      ["acme/widget", issue.number, "fix-issue", "alice", "issues", "queued"],
    ]);
    const dashboard = await fetch(`http://127.0.0.1:${port}/dashboard/runs`, { redirect: "manual" });
    expect(dashboard.headers.get("location")).toBe("/dashboard/login");
    expect(github.violations()).toEqual([]);
  }, 120_000);
});

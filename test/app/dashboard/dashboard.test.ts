import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATE_COOKIE } from "../../../app/dashboard/oauth.ts";
import { SESSION_COOKIE } from "../../../app/dashboard/sessions.ts";
import { recordEvalSummary } from "../../../store/eval-history.ts";
import type { Store } from "../../../store/open-store.ts";
import { appTaskKey, RunHistory } from "../../../store/run-history.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import { openMemoryStore } from "../../helpers/memory-store.ts";
import { FetchBrowser, signInWithoutBrowser } from "./browserless.ts";
import { type DashboardServer, startDashboard } from "./dashboard-server.ts";
import { seedRuns } from "./seed-runs.ts";

/** The dashboard over HTTP: sign-in, who sees what, sessions and forms. The browser suite covers pages. */
describe("dashboard: sign-in, sessions and access", () => {
  let github: LocalGitHub;
  let store: Store;
  let server: DashboardServer;
  let clock = Date.now();
  const now = () => new Date(clock);

  beforeAll(async () => {
    github = await LocalGitHub.start();
    const widget = await github.createRepo("widget", { "README.md": "hi\n" });
    const secret = await github.createRepo("secret", { "README.md": "hi\n" });
    github.addCollaborator(widget, "alice", "read");
    github.addCollaborator(secret, "bob", "write");
    github.addCollaborator(widget, "bob", "write");
    store = await openMemoryStore();
    await seedRuns(store, now(), 8);
    server = await startDashboard(github, store, now);
  });
  afterAll(async () => {
    await server.close();
    await store.close();
    await github.close();
  });

  it("shows nothing before sign-in: every page sends the browser to sign in", async () => {
    const browser = new FetchBrowser();
    for (const path of ["/dashboard", "/dashboard/runs", "/dashboard/runs/1", "/dashboard/repositories"]) {
      const response = await browser.request(`${server.url}${path}`);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/dashboard/login");
      expect(await response.text()).toBe("");
    }
  });

  it("signs in through GitHub with a signed, HTTP-only session cookie and strict headers", async () => {
    const browser = new FetchBrowser();
    const start = await browser.request(`${server.url}/dashboard/login`);
    expect(start.headers.get("location")).toMatch(new RegExp(`^${github.url}/login/oauth/authorize\\?`));
    const stateCookie = start.headers.getSetCookie()[0]!;
    expect(stateCookie).toMatch(/HttpOnly/);
    expect(stateCookie).toMatch(/SameSite=Lax/);
    const signedIn = await signInWithoutBrowser(github, server.url, "alice");
    const { response } = await signedIn.visit(`${server.url}/dashboard/runs`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(signedIn.cookie(server.url, SESSION_COOKIE)).toMatch(/\./);
  });

  it("a reader sees the runs of repositories they can read on GitHub, and nothing of the others", async () => {
    const alice = await signInWithoutBrowser(github, server.url, "alice");
    const page = await (await alice.visit(`${server.url}/dashboard/runs`)).response.text();
    expect(page).toContain("acme/widget #100");
    expect(page).not.toContain("acme/secret");
    const secretRun = await store.db
      .selectFrom("runs")
      .select("id")
      .where("repository", "=", "acme/secret")
      .executeTakeFirstOrThrow();
    const { response } = await alice.visit(`${server.url}/dashboard/runs/${secretRun.id}`);
    expect(response.status).toBe(404);
    const filtered = await (
      await alice.visit(`${server.url}/dashboard/runs?repository=acme%2Fsecret`)
    ).response.text();
    expect(filtered).not.toContain("acme/secret #");
    const bob = await signInWithoutBrowser(github, server.url, "bob");
    expect((await bob.visit(`${server.url}/dashboard/runs/${secretRun.id}`)).response.status).toBe(200);
  });

  it("refuses a callback whose state this browser was not given (a forged sign-in link)", async () => {
    const victim = new FetchBrowser();
    await victim.request(`${server.url}/dashboard/login`); // the victim's own state cookie
    const forged = await victim.request(
      `${server.url}/dashboard/auth/callback?code=abc&state=attacker-state`,
    );
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/not the one this browser started/);
    expect(victim.cookie(server.url, SESSION_COOKIE)).toBeUndefined();
  });

  it("refuses a replayed callback: GitHub's code is single use", async () => {
    const browser = new FetchBrowser();
    await browser.request(`${github.url}/session`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ login: "alice", password: github.oauth.password("alice") }).toString(),
    });
    const start = await browser.request(`${server.url}/dashboard/login`);
    const authorize = await browser.request(start.headers.get("location")!);
    const callback = authorize.headers.get("location")!;
    const stateCookie = browser.cookie(server.url, STATE_COOKIE)!;
    expect((await browser.request(callback)).status).toBe(303);
    // Replayed with the state cookie too (a captured request): the state passes, GitHub refuses the code.
    browser.setCookie(server.url, STATE_COOKIE, stateCookie);
    const replay = await browser.request(callback);
    expect(replay.status).toBe(400);
    expect(github.oauth.exchanges.at(-1)?.error).toBe("bad_verification_code");
  });

  it("treats a tampered session cookie as no session", async () => {
    const alice = await signInWithoutBrowser(github, server.url, "alice");
    const real = alice.cookie(server.url, SESSION_COOKIE)!;
    const [id] = real.split(".");
    alice.setCookie(server.url, SESSION_COOKIE, `${id}.forgedsignature`);
    expect((await alice.request(`${server.url}/dashboard/runs`)).status).toBe(303);
  });

  it("signs out only through the page's own form (CSRF token bound to the session)", async () => {
    const alice = await signInWithoutBrowser(github, server.url, "alice");
    const form = (body: string) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    const forged = await alice.request(`${server.url}/dashboard/logout`, form("csrf=guess"));
    expect(forged.status).toBe(403);
    expect((await alice.request(`${server.url}/dashboard/runs`)).status).toBe(200);
    const page = await (await alice.request(`${server.url}/dashboard/runs`)).text();
    const token = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const out = await alice.request(
      `${server.url}/dashboard/logout`,
      form(`csrf=${encodeURIComponent(token)}`),
    );
    expect(out.status).toBe(303);
    expect((await alice.request(`${server.url}/dashboard/runs`)).status).toBe(303);
  });

  it("the models page shows the latest eval of each readable repository, and nothing of the others", async () => {
    const summary = (repository: string, resolved: number, at: string) => ({
      repository,
      evaluatedAt: new Date(at),
      best: "gpu",
      profiles: [
        {
          profile: "gpu",
          model: "qwen-32b",
          instances: 4,
          resolved,
          confidence95: { low: 0.3, high: 0.95 },
          tokensPerInstance: 12_500,
          minutesPerInstance: 2.5,
          cost: 0.12,
        },
      ],
    });
    await recordEvalSummary(store.db, summary("acme/widget", 1, "2026-01-01T00:00:00Z"));
    await recordEvalSummary(store.db, summary("acme/widget", 3, "2026-02-01T00:00:00Z"));
    await recordEvalSummary(store.db, summary("acme/secret", 4, "2026-02-01T00:00:00Z"));
    const alice = await signInWithoutBrowser(github, server.url, "alice");
    const page = await (await alice.visit(`${server.url}/dashboard/models`)).response.text();
    expect(page).toContain("Eval results");
    expect(page).toMatch(
      /acme\/widget<\/td><td>gpu ★ best<\/td><td>qwen-32b<\/td>\s*<td class="num">3\/4<\/td><td class="num">75% \(30%–95%\)/,
    );
    expect(page).not.toContain("1/4");
    expect(page).not.toContain("acme/secret");
  });

  it("puts no secret in a page and escapes what models and people wrote", async () => {
    const history = new RunHistory(store.db);
    const key = appTaskKey({ owner: "acme", name: "widget" }, 7777);
    await history.recordDispatch({
      key,
      source: "app",
      repo: { owner: "acme", name: "widget" },
      number: 7,
      kind: "fix-issue",
      actor: "alice",
      at: now(),
    });
    await history.recordOutcome(key, { state: "failed", reason: `<script>alert("x")</script>` });
    const alice = await signInWithoutBrowser(github, server.url, "alice");
    const run = await store.db
      .selectFrom("runs")
      .select("id")
      .where("task_key", "=", key)
      .executeTakeFirstOrThrow();
    const page = await (await alice.visit(`${server.url}/dashboard/runs/${run.id}`)).response.text();
    expect(page).toContain("&lt;script&gt;");
    expect(page).not.toContain("<script>");
    const secrets = [github.credentials.oauth.clientSecret, ...github.credentials.issued()];
    for (const secret of secrets) expect(page).not.toContain(secret);
  });

  it("loses a repository soon after GitHub takes the reader's access away", async () => {
    const carol = "carol";
    const repo = github.state.repo("acme", "widget")!;
    github.addCollaborator(repo, carol, "read");
    const browser = await signInWithoutBrowser(github, server.url, carol);
    expect(await (await browser.visit(`${server.url}/dashboard/runs`)).response.text()).toContain(
      "acme/widget #",
    );
    repo.collaborators.delete(carol);
    clock += 6 * 60_000; // past the 5-minute trust in the last answer
    const page = await (await browser.visit(`${server.url}/dashboard/runs`)).response.text();
    expect(page).not.toContain("acme/widget #");
  });
});

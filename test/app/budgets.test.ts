import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BudgetsFile, checkBudget, loadBudgets } from "../../app/budgets.ts";
import type { Store } from "../../store/open-store.ts";
import { appTaskKey, RunHistory } from "../../store/run-history.ts";
import { startApp } from "../e2e/helpers/app-under-test.ts";
import { LocalGitHub } from "../e2e/local-github/local-github.ts";
import { openMemoryStore } from "../helpers/memory-store.ts";

const NOW = new Date("2026-05-20T12:00:00Z");
const budgets: BudgetsFile = {
  currency: "$",
  contact: "@acme/platform",
  organisations: { acme: 100 },
  repositories: { "acme/widget": 10 },
};

async function spend(store: Store, repo: string, cost: number, at: Date, n: number): Promise<void> {
  const history = new RunHistory(store.db);
  const [owner, name] = repo.split("/") as [string, string];
  const key = appTaskKey({ owner, name }, n);
  await history.recordDispatch({
    key,
    source: "app",
    repo: { owner, name },
    kind: "fix-issue",
    actor: "a",
    at,
  });
  await history.recordOutcome(key, {
    state: "succeeded",
    usage: {
      outcome: "finished",
      turns: 1,
      tokens: { prompt: 1, completion: 1 },
      phases: [],
      verification: "passed",
      profile: "large",
      cost,
    },
  });
}

describe("monthly budgets", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openMemoryStore();
    await spend(store, "acme/widget", 9.5, new Date("2026-05-02T00:00:00Z"), 1);
    await spend(store, "acme/widget", 50, new Date("2026-04-30T23:59:00Z"), 2); // last month
    await spend(store, "acme/other", 80, new Date("2026-05-03T00:00:00Z"), 3);
  });
  afterAll(() => store.close());

  it("lets a repository under both budgets through", async () => {
    expect(await checkBudget(store.db, budgets, { owner: "acme", name: "widget" }, NOW)).toEqual({
      ok: true,
    });
  });

  it("refuses a repository at its budget, saying what was spent and who can raise it", async () => {
    await spend(store, "acme/widget", 0.5, new Date("2026-05-10T00:00:00Z"), 4);
    const check = await checkBudget(store.db, budgets, { owner: "acme", name: "widget" }, NOW);
    expect(check).toEqual({
      ok: false,
      message: expect.stringMatching(
        /acme\/widget has spent \$10\.00 this month of its monthly budget of \$10\.00\. @acme\/platform can raise/,
      ),
    });
  });

  it("refuses every repository of an organisation at its budget (case-insensitive names)", async () => {
    await spend(store, "acme/other", 20, new Date("2026-05-11T00:00:00Z"), 5);
    const check = await checkBudget(store.db, budgets, { owner: "ACME", name: "new-repo" }, NOW);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toMatch(/organisation ACME has spent \$110\.00/);
  });

  it("fails closed: when the spend cannot be read, a budgeted task is refused", async () => {
    const broken = await openMemoryStore();
    await broken.close();
    const check = await checkBudget(broken.db, budgets, { owner: "acme", name: "widget" }, NOW);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toMatch(/could not be read.*refuses rather than risk overspending/s);
    expect(await checkBudget(broken.db, budgets, { owner: "someone", name: "else" }, NOW)).toEqual({
      ok: true,
    });
  });

  it("reads a budgets file, and names the setting and the shape when it is wrong", async () => {
    const dir = await mkdtemp(join(tmpdir(), "budgets-"));
    try {
      const good = join(dir, "good.yml");
      await writeFile(good, "contact: '@acme/platform'\norganisations: { acme: 500 }\n");
      expect(loadBudgets(good)).toMatchObject({
        currency: "$",
        organisations: { acme: 500 },
        repositories: {},
      });
      const bad = join(dir, "bad.yml");
      await writeFile(bad, "organisations: { acme: lots }\n");
      expect(() => loadBudgets(bad)).toThrow(/INHOUSE_BUDGETS_FILE.*contact/s);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a task over budget, through the App", () => {
  it("is refused before anything starts: one comment, no status, no dispatch, a refused record", async () => {
    const github = await LocalGitHub.start({ owner: "acme" });
    const app = await startApp(github, {
      checkBudget: async () => ({ ok: false, message: "The agent did not start: over budget (test)." }),
    });
    try {
      const repo = await github.createRepo("widget", { "README.md": "hi\n" });
      github.addCollaborator(repo, "alice", "write");
      const issue = github.openIssue(repo, { title: "fix it", user: "alice" });
      await github.labelIssue(issue, "agent", "alice");
      await github.idle();
      await app.idle();
      const comments = github.commentsOn(issue).map((c) => c.body);
      expect(comments).toEqual(["🚫 The agent did not start: over budget (test)."]);
      expect(github.state.runs).toEqual([]);
      expect(github.state.reactions).toEqual([]);
      const runs = await app.store.db.selectFrom("runs").selectAll().execute();
      expect(runs).toEqual([
        expect.objectContaining({
          state: "refused",
          actor: "alice",
          reason: "The agent did not start: over budget (test).",
        }),
      ]);
      expect(app.metrics.render()).toContain('inhouse_refusals_total{reason="budget"} 1');
    } finally {
      await app.close();
      await github.close();
    }
  });
});

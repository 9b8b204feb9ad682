import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Store } from "../../../store/open-store.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import { ARTIFACTS_DIR, describeChromium, launchChromium } from "../../helpers/chromium.ts";
import { openMemoryStore } from "../../helpers/memory-store.ts";
import { type DashboardServer, startDashboard } from "./dashboard-server.ts";
import { seedRuns } from "./seed-runs.ts";

/**
 * The dashboard in a real headless Chromium with JavaScript turned off: sign-in through the local
 * GitHub's pages, filters, pagination, one run's phases, the charts. Screenshots go to test-artifacts/.
 */
describeChromium("dashboard in a browser (no JavaScript)", () => {
  let github: LocalGitHub;
  let store: Store;
  let server: DashboardServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const now = new Date();

  beforeAll(async () => {
    github = await LocalGitHub.start();
    const widget = await github.createRepo("widget", { "README.md": "hi\n" });
    await github.createRepo("secret", { "README.md": "hi\n" });
    github.addCollaborator(widget, "alice", "write");
    store = await openMemoryStore();
    await seedRuns(store, now, 60);
    server = await startDashboard(github, store, () => now);
    browser = await launchChromium({ javaScriptEnabled: false });
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await github?.close();
  });

  const shot = (name: string) =>
    page.screenshot({ path: join(ARTIFACTS_DIR, `dashboard-${name}.png`), fullPage: true });
  const rows = () => page.locator("main table tbody tr");

  it("signs in with GitHub: the local GitHub's sign-in page, consent, then the runs page", async () => {
    await page.goto(`${server.url}/dashboard`);
    expect(page.url()).toContain(`${github.url}/login?return_to=`);
    await page.fill('input[name="login"]', "alice");
    await page.fill('input[name="password"]', github.oauth.password("alice"));
    await page.click('button[type="submit"]');
    await page.click('button:has-text("Authorize")');
    expect(page.url()).toBe(`${server.url}/dashboard/runs`);
    expect(await page.locator("header").textContent()).toContain("Signed in as alice");
    await shot("runs");
  });

  it("lists only runs of repositories alice can read, 50 to a page, and pages to the older ones", async () => {
    expect(await rows().count()).toBe(50);
    const text = await page.locator("main").textContent();
    expect(text).not.toContain("acme/secret");
    expect(await page.locator('select[name="repository"] option').allInnerTexts()).toEqual([
      "all",
      "acme/widget",
    ]);
    await page.click('a[rel="next"]');
    expect(await rows().count()).toBe(10);
    expect(await page.locator('a[rel="next"]').count()).toBe(0);
    await page.click("text=← Newest");
    expect(await rows().count()).toBe(50);
  });

  it("filters by kind, outcome and actor through the form", async () => {
    await page.selectOption('select[name="kind"]', "review");
    await page.selectOption('select[name="state"]', "failed");
    await page.fill('input[name="actor"]', "carol");
    await page.click('button:has-text("Filter")');
    const cells = await rows().allTextContents();
    // i ≡ 0 (mod 3) review, ≡ 3 (mod 4) failed, odd → carol: i = 3, 15, 27, 39, 51.
    expect(cells).toHaveLength(5);
    for (const row of cells) expect(row).toMatch(/review\s*carol\s*failed/);
    await shot("runs-filtered");
  });

  it("shows one run: phase timeline, tokens, verification and every link out", async () => {
    await page.goto(`${server.url}/dashboard/runs?kind=fix-issue&state=succeeded`);
    await rows().first().locator("a").click();
    const main = page.locator("main");
    expect(await main.locator('svg[aria-label="Phase timeline"] rect').count()).toBe(4);
    const text = await main.textContent();
    expect(text).toMatch(/provisioning: 6\.0 s/);
    expect(text).toMatch(/Verification\s*passed/);
    expect(text).toMatch(/Tokens\s*20\.\dk prompt, 1\.5k completion/);
    const links = await Promise.all((await main.locator("a").all()).map((a) => a.getAttribute("href")));
    for (const link of [
      /\/acme\/widget\/issues\/\d+$/,
      /\/pull\/\d+$/,
      /\/actions\/runs\/\d+$/,
      /\/actions\/runs\/\d+#artifacts$/,
    ]) {
      expect(links.some((href) => link.test(href ?? ""))).toBe(true);
    }
    await shot("run");
  });

  it("charts repositories and models per week, drawn on the server", async () => {
    await page.click("nav >> text=Repositories");
    const table = page.locator("main table");
    expect(await table.locator("tbody tr").count()).toBe(1);
    expect(await table.textContent()).toContain("acme/widget");
    expect(await table.locator("svg[role=img]").count()).toBe(2);
    expect(await table.locator("svg rect").count()).toBeGreaterThan(10);
    await shot("repositories");
    await page.click("nav >> text=Models");
    expect(await page.locator("main table tbody tr").allTextContents()).toEqual([
      expect.stringMatching(/^fast/),
      expect.stringMatching(/^large/),
    ]);
    await shot("models");
  });

  it("signs out with the page's form", async () => {
    await page.click('button:has-text("Sign out")');
    expect(page.url()).toBe(`${server.url}/dashboard/signed-out`);
    expect(await page.locator("main").textContent()).toContain("You are signed out");
    const cookies = await browser.context.cookies(server.url);
    expect(cookies.map((c) => c.name)).not.toContain("inhouse_session");
  });
});

// `npm run dashboard-screenshot [-- <out.png>]`: the README's dashboard picture, from a real demo run.
// Runs `npm run demo`'s scenario (the local GitHub, the real App recording into its run history, the
// committed action bundle in the Docker sandbox, the scripted model), serves the dashboard on that
// run history, signs in through the local GitHub's OAuth pages in Debian's Chromium (playwright-core)
// and saves the page of the run the demo just recorded. Default output: docs/dashboard.png.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { DEFAULT_PROXY_IMAGE } from "../action/sandbox/egress/egress-proxy.ts";
import { prepareDocker } from "../demo/docker-setup.ts";
import { runDemo } from "../demo/run-demo.ts";
import { startDashboard } from "../test/app/dashboard/dashboard-server.ts";
import { SANDBOX_IMAGE } from "../test/e2e/helpers/whole-system.ts";

const out = process.argv[2] ?? join(import.meta.dirname, "..", "docs", "dashboard.png");
const chromiumPath = process.env.INHOUSE_CHROMIUM ?? "/usr/bin/chromium";

const imageMissing = (image: string) =>
  spawnSync("docker", ["image", "inspect", image], { stdio: "ignore" }).status !== 0;

async function main(): Promise<number> {
  if (!existsSync(chromiumPath)) {
    console.error(
      `dashboard-screenshot: no Chromium at ${chromiumPath}; install Debian's with \`bash scripts/chromium.sh\` (root) or set INHOUSE_CHROMIUM`,
    );
    return 1;
  }
  // The demo's own preparation (engine and images) only when something is missing.
  if ((imageMissing(SANDBOX_IMAGE) || imageMissing(DEFAULT_PROXY_IMAGE)) && !prepareDocker()) return 1;
  let saved = false;
  const result = await runDemo(console.log, {
    whileOpen: async (system) => {
      const runs = await system.app.store.db.selectFrom("runs").select(["id", "state"]).execute();
      if (runs.length !== 1 || runs[0]!.state !== "succeeded")
        throw new Error(`the demo should have recorded one succeeded run, found ${JSON.stringify(runs)}`);
      const dashboard = await startDashboard(system.github, system.app.store);
      const profile = await mkdtemp(join(tmpdir(), "inhouse-screenshot-"));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: chromiumPath,
        headless: true,
        viewport: { width: 1280, height: 900 },
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--no-first-run",
          "--disable-background-networking",
        ],
      });
      try {
        const page = await context.newPage();
        await page.goto(`${dashboard.url}/dashboard`);
        await page.fill('input[name="login"]', "alice");
        await page.fill('input[name="password"]', system.github.oauth.password("alice"));
        await page.click('button[type="submit"]');
        await page.click('button:has-text("Authorize")');
        await page.goto(`${dashboard.url}/dashboard/runs/${runs[0]!.id}`);
        await page.screenshot({ path: out, fullPage: true });
        saved = true;
        console.log(`\ndashboard-screenshot: run ${runs[0]!.id} of the demo saved to ${out}`);
      } finally {
        await context.close();
        await rm(profile, { recursive: true, force: true });
        await dashboard.close();
      }
    },
  });
  if (!result.prOpened || !saved) {
    console.error("dashboard-screenshot: FAILED, the demo opened no pull request (its log is above)");
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("dashboard-screenshot: FAILED:", error);
    process.exit(1);
  },
);

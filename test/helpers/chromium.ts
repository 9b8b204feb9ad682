import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { describe } from "vitest";

/** CI sets this so that a browser suite that finds no Chromium fails instead of skipping. */
export const REQUIRE_CHROMIUM_ENV = "INHOUSE_REQUIRE_CHROMIUM";
export const CHROMIUM_PATH = process.env.INHOUSE_CHROMIUM ?? "/usr/bin/chromium";

/** Where browser tests save screenshots (git-ignored). */
export const ARTIFACTS_DIR = join(process.cwd(), "test-artifacts");

const available = existsSync(CHROMIUM_PATH);
if (!available && process.env[REQUIRE_CHROMIUM_ENV] === "1") {
  throw new Error(
    `${REQUIRE_CHROMIUM_ENV}=1 but ${CHROMIUM_PATH} does not exist. Install it with \`bash scripts/chromium.sh\` (root).`,
  );
}
if (!available) {
  console.warn(
    `Skipping browser tests: no Chromium at ${CHROMIUM_PATH}. Install Debian's with \`bash scripts/chromium.sh\` ` +
      `(CI sets ${REQUIRE_CHROMIUM_ENV}=1 to make this a failure).`,
  );
}

/** `describe` for suites that drive a real headless Chromium. */
export const describeChromium = available ? describe : describe.skip;

/**
 * Debian's Chromium, headless, in a profile of its own, with nothing reaching out on its own
 * (no updates, sync or background traffic). Scripts can be turned off to prove a page works without them.
 */
export async function launchChromium(options: { javaScriptEnabled?: boolean } = {}): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  const profile = await mkdtemp(join(tmpdir(), "inhouse-chromium-"));
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

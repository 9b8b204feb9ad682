/**
 * Which command proves the work: the repository config's `commands.test`, else a rule file's
 * commands section, else what the project's manifest implies. The action uses this too.
 */
import type { Sandbox } from "../sandbox/types.ts";
import { type RuleFile, testCommandFromRuleFiles } from "./rule-files.ts";

/** npm writes this into package.json when nobody set up tests. */
const NPM_PLACEHOLDER_TEST = /no test specified/;

const PROBE = [
  "[ -f package.json ] && echo package.json",
  "[ -f pyproject.toml ] && echo python",
  "[ -f setup.cfg ] && echo python",
  "[ -f pytest.ini ] && echo python",
  "[ -d tests ] && echo python-tests",
  "[ -f go.mod ] && echo go",
  "[ -f Cargo.toml ] && echo cargo",
  "[ -f Makefile ] && grep -qE '^test:' Makefile && echo make",
  "(command -v pytest >/dev/null 2>&1 || python3 -c 'import pytest' >/dev/null 2>&1) && echo has-pytest",
  "true",
].join("; ");

export interface TestCommandSources {
  /** `commands.test` from the repository config. */
  configured?: string;
  ruleFiles?: RuleFile[];
}

async function npmTestScript(sandbox: Sandbox): Promise<boolean> {
  try {
    const manifest = JSON.parse((await sandbox.readFile("package.json")).toString("utf8")) as {
      scripts?: Record<string, string>;
    };
    const script = manifest.scripts?.test;
    return typeof script === "string" && script.trim() !== "" && !NPM_PLACEHOLDER_TEST.test(script);
  } catch {
    return false;
  }
}

/** The manifest's test command, probed inside the sandbox in one round trip. */
export async function testCommandFromManifest(sandbox: Sandbox): Promise<string | undefined> {
  const probe = await sandbox.exec(PROBE, { timeoutMs: 30_000 });
  const found = new Set(probe.stdout.split("\n").map((line) => line.trim()));
  if (found.has("package.json") && (await npmTestScript(sandbox))) return "npm test";
  const python = found.has("python") || (found.has("python-tests") && !found.has("package.json"));
  if (python) {
    // The command the manifest implies is pytest; an image without it still runs unittest suites.
    return found.has("has-pytest") ? "pytest" : "python3 -m unittest discover";
  }
  if (found.has("go")) return "go test ./...";
  if (found.has("cargo")) return "cargo test";
  if (found.has("make")) return "make test";
  return undefined;
}

export async function resolveTestCommand(
  sandbox: Sandbox,
  sources: TestCommandSources = {},
): Promise<string | undefined> {
  if (sources.configured?.trim()) return sources.configured.trim();
  const fromRules = testCommandFromRuleFiles(sources.ruleFiles ?? []);
  if (fromRules) return fromRules;
  return testCommandFromManifest(sandbox);
}

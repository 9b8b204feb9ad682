/**
 * Grading inside a sandbox: the held-out test files are written over the working tree (the agent's
 * own edits to them do not count), the test command runs, and its output is read per test.
 */
import type { Sandbox } from "../sandbox/types.ts";
import { shellQuote } from "../tools/shell-quote.ts";
import type { Candidate } from "./instance.ts";
import { parseTestResults, type TestResults } from "./test-results.ts";

/** Test output is parsed whole: a head+tail cap would drop test names from the middle. */
const TEST_OUTPUT_MAX_BYTES = 32 * 1024 * 1024;
const REFERENCE_PATCH_PATH = ".git/inhouse-eval-reference.patch";

export interface TestRun {
  results: TestResults;
  exitCode: number;
  timedOut: boolean;
  /** Last lines of the output, for the report when nothing could be read. */
  outputTail: string;
}

export async function writeHeldOutTests(sandbox: Sandbox, testFiles: Candidate["testFiles"]): Promise<void> {
  for (const [path, content] of Object.entries(testFiles)) {
    if (content === null) await sandbox.exec(`rm -f -- ${shellQuote(path)}`);
    else await sandbox.writeFile(path, content);
  }
}

export async function runTests(sandbox: Sandbox, command: string, timeoutMs: number): Promise<TestRun> {
  const result = await sandbox.exec(command, { timeoutMs, maxOutputBytes: TEST_OUTPUT_MAX_BYTES });
  const output = `${result.stdout}\n${result.stderr}`;
  return {
    results: parseTestResults(output),
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    outputTail: output.trimEnd().split("\n").slice(-20).join("\n"),
  };
}

/** Applies the reference change (validation only: never while an agent works in this sandbox). */
export async function applyReference(sandbox: Sandbox, patch: string): Promise<void> {
  if (!patch.trim()) return;
  await sandbox.writeFile(REFERENCE_PATCH_PATH, patch);
  const applied = await sandbox.exec(
    `git apply --binary --whitespace=nowarn ${REFERENCE_PATCH_PATH}; status=$?; rm -f ${REFERENCE_PATCH_PATH}; exit $status`,
  );
  if (applied.exitCode !== 0)
    throw new Error(`the reference change does not apply: ${applied.stderr.trim()}`);
}

export function passing(results: TestResults): string[] {
  return [...results].filter(([, status]) => status === "pass").map(([name]) => name);
}

export function failing(results: TestResults): string[] {
  return [...results].filter(([, status]) => status === "fail").map(([name]) => name);
}

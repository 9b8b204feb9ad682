/**
 * Harvest, second half: which tests the reference change fixes, measured by running them in the
 * sandbox twice: the held-out tests over the base commit (before), then with the reference change
 * applied (after). FAIL_TO_PASS are the tests passing after but not before (failing or absent);
 * PASS_TO_PASS pass both times. A candidate is dropped, with the reason, when the reference leaves
 * a test failing or fixes none.
 */
import { enterNetworkPhase } from "../agent/network-phase.ts";
import { openDaySandbox } from "./day-sandbox.ts";
import {
  applyReference,
  failing,
  passing,
  runTests,
  type TestRun,
  writeHeldOutTests,
} from "./held-out-tests.ts";
import type { Candidate, EvalInstance } from "./instance.ts";

export interface ValidateOptions {
  repo: string;
  image: string;
  testTimeoutMs: number;
}

export type Validation = { ok: true; instance: EvalInstance } | { ok: false; reason: string };

const SHOWN = 5;

function listed(names: string[]): string {
  const shown = names.slice(0, SHOWN).map((name) => `"${name}"`);
  return names.length > SHOWN ? `${shown.join(", ")} and ${names.length - SHOWN} more` : shown.join(", ");
}

function unreadable(run: TestRun, command: string, when: string): string {
  return (
    `no test results could be read from \`${command}\` ${when} (exit ${run.exitCode}${run.timedOut ? ", timed out" : ""}); ` +
    `use a reporter inhouse reads (TAP, pytest -rA, unittest -v), e.g. --test-command "node --test --test-reporter=tap". Output ends:\n${run.outputTail}`
  );
}

export function judge(candidate: Candidate, before: TestRun, after: TestRun): Validation {
  if (after.results.size === 0)
    return { ok: false, reason: unreadable(after, candidate.testCommand, "after the reference change") };
  const passedBefore = new Set(passing(before.results));
  const afterPassing = passing(after.results);
  const failToPass = afterPassing.filter((name) => !passedBefore.has(name));
  if (failToPass.length === 0) {
    const stillFailing = failing(after.results);
    return {
      ok: false,
      reason:
        stillFailing.length > 0
          ? `the reference change does not make its own tests pass: ${listed(stillFailing)} still fail after it`
          : "no held-out test fails before the reference change: there is nothing to solve",
    };
  }
  // Tests failing both before and after (broken on main at the time) are in neither list, as in SWE-bench.
  const passToPass = afterPassing.filter((name) => passedBefore.has(name));
  return { ok: true, instance: { ...candidate, failToPass, passToPass } };
}

export async function validateCandidate(candidate: Candidate, options: ValidateOptions): Promise<Validation> {
  const day = await openDaySandbox({
    repo: options.repo,
    commit: candidate.baseCommit,
    image: options.image,
    taskId: `eval-harvest-${candidate.issue}`,
  });
  try {
    const { sandbox, config } = day;
    const network = config.sandbox.network;
    await enterNetworkPhase(sandbox, network, "setup");
    for (const command of config.commands.setup) {
      const result = await sandbox.exec(command, { timeoutMs: options.testTimeoutMs });
      if (result.exitCode !== 0) {
        return {
          ok: false,
          reason: `setup command \`${command}\` failed at the base commit (exit ${result.exitCode})`,
        };
      }
    }
    await enterNetworkPhase(sandbox, network, "agent");
    await writeHeldOutTests(sandbox, candidate.testFiles);
    const before = await runTests(sandbox, candidate.testCommand, options.testTimeoutMs);
    try {
      await applyReference(sandbox, candidate.referencePatch);
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
    const after = await runTests(sandbox, candidate.testCommand, options.testTimeoutMs);
    return judge(candidate, before, after);
  } finally {
    await day.dispose();
  }
}

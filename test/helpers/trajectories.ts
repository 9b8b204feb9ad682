/** Scripted trajectories over the fixture repositories, shared by loop, e2e and CLI tests. */
import type { FixtureRepo } from "./fixture-repo.ts";
import { lastToolResult, type ScriptedStep, step } from "./scripted-model-server.ts";

/** Reads the buggy file, fixes it, runs the tests, finishes: the shortest honest path. */
export function fixingTrajectory(repo: FixtureRepo): ScriptedStep[] {
  return [
    step.tool("list_files", {}),
    step.tool("read_file", { path: repo.bug.path }),
    step.tool("edit_file", { path: repo.bug.path, oldText: repo.bug.broken, newText: repo.bug.fixed }),
    step.tool("run", { command: repo.testCommand }),
    step.tool("finish", { summary: `Fixed the operator in ${repo.bug.path}.` }),
  ];
}

/**
 * Finishes once with the tests still failing, is sent back by the loop, then fixes and finishes
 * again. The fix step checks that the loop really showed it the failure.
 */
export function finishTooEarlyTrajectory(repo: FixtureRepo): ScriptedStep[] {
  return [
    step.tool("read_file", { path: repo.bug.path }),
    step.tool("finish", { summary: "Looks fine to me." }),
    (request) => {
      const feedback = lastToolResult(request);
      if (!feedback.includes("failed (exit code")) {
        throw new Error(`expected the loop to report the failing tests, got: ${feedback.slice(0, 300)}`);
      }
      return step.tool("edit_file", {
        path: repo.bug.path,
        oldText: repo.bug.broken,
        newText: repo.bug.fixed,
      });
    },
    step.tool("finish", { summary: `Fixed the operator in ${repo.bug.path}.` }),
  ];
}

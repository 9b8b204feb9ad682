// GitHub's budget for one task (issue 11, item 4): the REST requests and content-creating requests
// one fix-issue task of 40 model turns costs its installation, App side and action side together,
// counted by the local GitHub per installation (`rate-limits.ts`), as GitHub counts them.
import { setTimeout as sleep } from "node:timers/promises";
import { type ScriptedStep, step } from "../../helpers/scripted-model-server.ts";
import type { Usage } from "../local-github/rate-limits.ts";
import type { RepoRecord } from "../local-github/state.ts";
import { BUG, SCENARIO_ONE_ISSUE, TEST_COMMAND } from "./scenario-one.ts";
import { runLogs } from "./system-assertions.ts";
import type { WholeSystem } from "./whole-system.ts";

export const BUDGET_TURNS = 40;

/**
 * A model that explores for 37 turns (reads, listings), then fixes, tests and finishes: 40 turns,
 * the default cap. Each answer comes after `turnMs`, so the status comment's turn updates fire as
 * they would over a long task (a model answering in `turnMs × k` against an interval `k` times the
 * whole system's one second).
 */
export function fortyTurnScript(turnMs: number): ScriptedStep[] {
  const explore = ["README.md", "package.json", BUG.path, "test/sum.test.js"];
  const slow =
    (reply: ReturnType<typeof step.tool>): ScriptedStep =>
    async () => {
      await sleep(turnMs);
      return reply;
    };
  const steps: ScriptedStep[] = [];
  for (let turn = 1; turn <= BUDGET_TURNS - 3; turn++) {
    steps.push(
      slow(
        turn % 5 === 0
          ? step.tool("run", { command: "ls -R src test" })
          : step.tool("read_file", { path: explore[turn % explore.length] }),
      ),
    );
  }
  steps.push(slow(step.tool("edit_file", { path: BUG.path, oldText: BUG.broken, newText: BUG.fixed })));
  steps.push(slow(step.tool("run", { command: TEST_COMMAND })));
  steps.push(slow(step.tool("finish", { summary: `Fixed the operator in ${BUG.path}.` })));
  return steps;
}

export interface TaskBudget {
  /**
   * REST requests the installation made for the task (App and action) that count against GitHub's
   * primary rate limit: conditional GETs answered 304 are not among them (`notModified`).
   */
  calls: number;
  /** Conditional GETs answered 304 (the status comment's unchanged reads): sent, but not counted. */
  notModified: number;
  /** Content-creating requests among them (POST, PATCH, PUT, DELETE; GraphQL mutations). */
  writes: number;
  /** Refusals by a rate limit during the task. */
  limited: number;
  /** Requests per route (`GET /repos/{owner}/{repo}/...`), the waste hunt's map. */
  byRoute: Record<string, number>;
  /** Model requests the task made (the turns it really took). */
  turns: number;
}

function difference(after: Usage, before: Usage): Omit<TaskBudget, "turns"> {
  const byRoute: Record<string, number> = {};
  for (const [route, count] of Object.entries(after.byRoute)) {
    const spent = count - (before.byRoute[route] ?? 0);
    if (spent > 0) byRoute[route] = spent;
  }
  return {
    calls: after.requests - before.requests,
    notModified: after.notModified - before.notModified,
    writes: after.writes - before.writes,
    limited: after.limited - before.limited,
    byRoute,
  };
}

/** Opens and labels an issue for the 40-turn task, waits for the PR, and counts what it cost. */
export async function measureTaskBudget(
  system: WholeSystem,
  repo: RepoRecord,
  turnMs: number,
): Promise<TaskBudget> {
  const before = structuredClone(system.github.usage());
  const firstRequest = system.model.requests.length;
  const issue = system.github.openIssue(repo, SCENARIO_ONE_ISSUE);
  system.model.push(...fortyTurnScript(turnMs));
  await system.github.labelIssue(issue, "agent", SCENARIO_ONE_ISSUE.user);
  await system.settle();
  if (system.github.pulls(repo).at(-1)?.body?.includes(`Closes #${issue.number}`) !== true) {
    throw new Error(`the 40-turn task did not open a PR for issue #${issue.number}:\n${runLogs(system)}`);
  }
  return {
    ...difference(system.github.usage(), before),
    turns: system.model.requests.length - firstRequest,
  };
}

// One timed run of scenario 1 (issue 7) on a whole system: where the time from the label webhook
// to the PR goes. Boundaries come from real events, never from estimates:
// - the local GitHub: webhook sent, dispatch received, the action's first status update, PR opened;
// - the action's job summary (its PhaseClock, 0.1 s resolution): provisioning (reading the
//   request), preparing the workspace, starting the sandbox, working, verifying, publishing;
// - the scripted model server: first request received, last answer sent (the agent's turns);
// - the action's audit log: when verification ended (publish runs from there to the PR).

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AuditEvent } from "../../../action/agent/audit-log.ts";
import type { RepoRecord } from "../local-github/state.ts";
import { type PhaseEvent, watchScenario } from "./phase-watch.ts";
import { SCENARIO_ONE_ISSUE, scenarioOneScript } from "./scenario-one.ts";
import { runLogs } from "./system-assertions.ts";
import type { WholeSystem } from "./whole-system.ts";

export const PHASES = [
  "gate_and_dispatch",
  "provisioning",
  "clone",
  "setup",
  "agent_turns",
  "verification",
  "publish",
] as const;
export type Phase = (typeof PHASES)[number];

export interface ScenarioTiming {
  webhookToPrS: number;
  phases: Record<Phase, number>;
  /** Dispatch received → the action's first status update: the runner picking the job up and node starting the bundle (part of provisioning). */
  runnerStartS: number;
  /** webhookToPr minus the phases: the summary's 0.1 s rounding, the 20 ms polling, gaps between phases (negative: overlap). */
  unattributedS: number;
}

/** The job summary's phase table (`<td>name</td><td>1.2 s</td>`), in seconds. */
export function summaryPhases(summary: string): Map<string, number> {
  const rows = summary.matchAll(/<tr><td>([^<]+)<\/td><td>([\d.]+) s<\/td><\/tr>/g);
  return new Map([...rows].map(([, name, seconds]) => [name!, Number(seconds)]));
}

function seenAt(events: PhaseEvent[], phase: string, text?: RegExp): number {
  const event = events.find((e) => e.phase === phase && (!text || text.test(e.text)));
  if (!event) throw new Error(`scenario 1: no "${phase}" event${text ? ` matching ${text}` : ""}`);
  return event.at;
}

/** When the run's audit log recorded the verification result (ms since the epoch). */
async function verificationEnded(system: WholeSystem, runId: number): Promise<number> {
  const file = (await readdir(system.auditDir)).find((name) => name.endsWith(`-${runId}.jsonl`));
  const text = file ? await readFile(join(system.auditDir, file), "utf8") : "";
  const lines = text.split("\n").filter(Boolean);
  const event = lines
    .map((line) => JSON.parse(line) as AuditEvent & { at: string })
    .find((e) => e.type === "verification");
  if (!event) throw new Error(`run ${runId}: no verification in its audit log`);
  return Date.parse(event.at);
}

/** Opens a new scenario-1 issue on `repo`, labels it, waits for everything to settle, and times it. */
export async function timeScenarioOne(system: WholeSystem, repo: RepoRecord): Promise<ScenarioTiming> {
  const issue = system.github.openIssue(repo, SCENARIO_ONE_ISSUE);
  const firstRequest = system.model.requests.length;
  const firstResult = system.runner.results.length;
  system.model.push(...scenarioOneScript());
  const watch = watchScenario(system, repo, issue);
  const sent = Date.now();
  await system.github.labelIssue(issue, "agent", SCENARIO_ONE_ISSUE.user);
  await system.settle();
  await watch.stop();

  const result = system.runner.results[firstResult];
  if (!result || system.github.pulls(repo).at(-1)?.body?.includes(`Closes #${issue.number}`) !== true) {
    throw new Error(`scenario 1 did not open a PR for issue #${issue.number}:\n${runLogs(system)}`);
  }
  const dispatched = seenAt(watch.events, "workflow dispatched");
  const actionStarted = seenAt(watch.events, "status comment updated", /provisioning on /);
  const prOpened = seenAt(watch.events, "PR opened");
  const clock = summaryPhases(result.summary);
  const phase = (name: string) => {
    const seconds = clock.get(name);
    if (seconds === undefined) throw new Error(`the job summary has no "${name}" phase:\n${result.summary}`);
    return seconds;
  };
  const requests = system.model.requests.slice(firstRequest);
  const turnsS =
    ((requests.at(-1)?.respondedAt ?? Number.NaN) - (requests[0]?.receivedAt ?? Number.NaN)) / 1000;
  const runnerStartS = (actionStarted - dispatched) / 1000;
  const phases: Record<Phase, number> = {
    gate_and_dispatch: (dispatched - sent) / 1000,
    provisioning: runnerStartS + phase("provisioning") + phase("starting the sandbox"),
    clone: phase("preparing the workspace"),
    // The working phase is setup (network profile, setup commands, rule files, test command) then the turns.
    setup: Math.max(0, phase("working") - turnsS),
    agent_turns: turnsS,
    verification: phase("verifying"),
    // Verification ended (audit log) → the PR exists on GitHub: diff, commit, push, open.
    publish: (prOpened - (await verificationEnded(system, result.run.id))) / 1000,
  };
  const webhookToPrS = (prOpened - sent) / 1000;
  const attributed = Object.values(phases).reduce((a, b) => a + b, 0);
  return { webhookToPrS, phases, runnerStartS, unattributedS: webhookToPrS - attributed };
}

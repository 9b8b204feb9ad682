// Issue 11, item 4: 50 fix-issue tasks of 40 turns at once in one installation, against GitHub's
// limits as the local GitHub enforces them (5,000 REST requests an hour; 80 content-creating
// requests a minute and 500 an hour). The real App and the action's executeTask, an in-memory
// sandbox and a scripted model (`test/e2e/helpers/budget-simulation.ts`), so what is measured is
// GitHub's budget, not this machine; GitHub's clock moves on when a limit refuses a request.
// Every task must end with its PR and a terminal status, throttled rather than failed
// (`e2e.concurrent50_completed_ratio`, goal 1.0). No naive column: a second burst of 50 would
// double a bench that already takes minutes here; the naive App (Probot's options alone) is run
// side by side in test/app/rate-limit-wait.test.ts, where it loses the task to the limit.
import { loadavg } from "node:os";
import { type SimulationResult, simulateConcurrentTasks } from "../test/e2e/helpers/budget-simulation.ts";
import { round } from "./stats.ts";
import type { BenchArea, BenchRow } from "./types.ts";

const TASKS = 50;
const TURNS = 10;
/**
 * GitHub's clock stands still until a limit refuses a request, then moves on a minute: the burst as
 * a machine infinitely fast would make it, so GitHub's limits, not this machine, set the pace. (With
 * the clock running 10x real time, a run at load 15 took 690 s and its 680 writes never met a limit:
 * this machine made them too slowly, each git spawn from the simulating process costing ~55 ms and
 * more under load.) The clients' waits shrink a hundredfold.
 */
const SPEED = 100;
/** Real time the burst may take before the bench fails with every unfinished task's state. */
const DEADLINE_MS = 20 * 60_000;

const completed = (result: SimulationResult) =>
  result.tasks.filter((t) => t.state === "succeeded" && t.prs === 1 && t.statusComments === 1).length;

const area: BenchArea = {
  name: "budget",
  async run() {
    const load = loadavg()[0]!;
    const ours = await simulateConcurrentTasks({
      tasks: TASKS,
      turns: TURNS,
      speed: SPEED,
      clock: "on-refusal",
      deadlineMs: DEADLINE_MS,
    });
    const ratio = completed(ours) / TASKS;
    const perTask = (n: number) => round(n / TASKS, 1);
    const rows: BenchRow[] = [
      {
        measure: `${TASKS} concurrent ${TURNS}-turn tasks in one installation: ended with PR and succeeded status`,
        ours: `${completed(ours)} of ${TASKS}`,
        goal: "all (ratio 1.0)",
      },
      { measure: "  REST requests per task (App + action)", ours: String(perTask(ours.usage.requests)) },
      { measure: "  content-creating requests per task", ours: String(perTask(ours.usage.writes)) },
      { measure: "  requests refused by a rate limit, then waited out", ours: String(ours.usage.limited) },
      { measure: "  bot comments other than status comments", ours: String(ours.strayComments) },
      {
        measure: "  GitHub time from the labels to the last task's end (moved on by the limits' refusals)",
        ours: `${round(ours.simulatedMinutes, 1)} min`,
      },
      { measure: "  real time", ours: `${round(ours.realSeconds, 1)} s` },
      { measure: "load average (1 min) at the start", ours: String(round(load, 2)) },
    ];
    return {
      rows,
      metrics: {
        "e2e.concurrent50_completed_ratio": ratio,
        "e2e.concurrent50_writes_per_task": perTask(ours.usage.writes),
        "e2e.concurrent50_requests_per_task": perTask(ours.usage.requests),
        "e2e.concurrent50_limited": ours.usage.limited,
        "e2e.concurrent50_simulated_minutes": round(ours.simulatedMinutes, 1),
      },
    };
  },
};

export default area;

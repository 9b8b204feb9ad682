/**
 * A scripted model for `inhouse eval`: one policy answering any number of concurrent tasks. It finds
 * the task by the issue title in the request (`# <title>`), and on its first turn either makes the
 * fix it knows (the subset it "solves") or gives up; then it finishes. `onFirstTurn` runs while the
 * agent's sandbox is live, before the model answers: tests look inside the sandbox there.
 */
import type { EvalFixturePair } from "./eval-fixture-repo.ts";
import { type RecordedRequest, type ScriptedStep, step } from "./scripted-model-server.ts";

export interface SolverOptions {
  pairs: EvalFixturePair[];
  /** Issue numbers this model solves; it gives up on the others. */
  solves: number[];
  onFirstTurn?: (pair: EvalFixturePair, request: RecordedRequest) => Promise<void>;
}

export function pairOf(request: RecordedRequest, pairs: EvalFixturePair[]): EvalFixturePair {
  const task = request.body.messages.find((m) => m.role === "user")?.content ?? "";
  const pair = pairs.find((p) => task.startsWith(`# ${p.title}\n`));
  if (!pair) throw new Error(`the eval solver does not know this task: ${task.slice(0, 120)}`);
  return pair;
}

export function solverSteps(options: SolverOptions, requests = 400): ScriptedStep[] {
  const policy = async (request: RecordedRequest) => {
    const pair = pairOf(request, options.pairs);
    const turn = request.body.messages.filter((m) => m.role === "assistant").length;
    if (turn > 0) return step.tool("finish", { summary: `Worked on #${pair.issue}.` });
    await options.onFirstTurn?.(pair, request);
    if (pair.fix && options.solves.includes(pair.issue)) return step.tool("edit_file", pair.fix);
    return step.tool("finish", { summary: "I could not find a way to do this." });
  };
  return step.repeat(policy, requests);
}

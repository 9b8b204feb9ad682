/**
 * Notices a model that loops. The same call with the same result several times in a row ends the
 * task (`stuck`); the same failing call again gets a note telling the model to change course.
 */
import type { ToolCall } from "../chat/types.ts";

export const STUCK_AFTER_REPEATS = 5;
export const NO_TOOL_REPLIES_BEFORE_STUCK = 3;

export interface StuckDetector {
  /** Records one call and its result; returns a note for the model when it repeats a failure. */
  recordCall(call: ToolCall, ok: boolean, result: string): string | undefined;
  /**
   * Records a reply with no call and no finish. The first of a streak answers `remind` (the model
   * is shown the exact call format once) and does not count; the next ones count towards `stuck`.
   */
  recordReplyWithoutCalls(): "remind" | "counted";
  /** Why the loop is stuck, or undefined. */
  stuckReason(): string | undefined;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/** Same call whatever the key order or spacing the model used. */
function canonicalArguments(raw: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(raw)));
  } catch {
    return raw.trim();
  }
}

export function createStuckDetector(repeatsBeforeStuck = STUCK_AFTER_REPEATS): StuckDetector {
  let lastSignature = "";
  let streak = 0;
  let noToolStreak = 0;
  let reminded = false;
  let stuckCall = "";
  const failures = new Map<string, number>();
  return {
    recordCall(call, ok, result) {
      noToolStreak = 0;
      reminded = false;
      const callKey = `${call.name} ${canonicalArguments(call.arguments)}`;
      const signature = `${callKey}\n${result}`;
      streak = signature === lastSignature ? streak + 1 : 1;
      lastSignature = signature;
      if (streak >= repeatsBeforeStuck) stuckCall = call.name;
      if (ok) return undefined;
      const count = (failures.get(callKey) ?? 0) + 1;
      failures.set(callKey, count);
      return count >= 2
        ? `[You have made this exact ${call.name} call ${count} times and it failed each time. Do not repeat it: change the arguments or take another approach.]`
        : undefined;
    },
    recordReplyWithoutCalls() {
      if (!reminded) {
        reminded = true;
        return "remind";
      }
      noToolStreak++;
      return "counted";
    },
    stuckReason() {
      if (stuckCall) {
        return `the model repeated the same ${stuckCall} call with the same result ${repeatsBeforeStuck} times in a row`;
      }
      if (noToolStreak >= NO_TOOL_REPLIES_BEFORE_STUCK) {
        return `the model answered ${noToolStreak} times in a row without calling a tool or finishing`;
      }
      return undefined;
    },
  };
}

/** One line of `inhouse doctor`: what was checked, whether it holds, and the fix when it does not. */

export type CheckGroup = "docker" | "host" | "model" | "github";
/** `warn`: the check could not be made, or something works but is worth knowing; never fails the run. */
export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  group: CheckGroup;
  /** Short stable id for automation (`docker.reachable`, `model.default`). */
  id: string;
  status: CheckStatus;
  /** What was found, in a sentence. */
  summary: string;
  /** The command or setting that fixes it; present on every `fail`. */
  fix?: string;
  /** Extra facts (latency, tool-call mode, free space) for `--json`. */
  details?: Record<string, unknown>;
  durationMs: number;
}

export type CheckOutcome = Omit<CheckResult, "group" | "id" | "durationMs">;

/** Runs one check, timing it; an exception becomes a failure that says what was thrown. */
export async function runCheck(
  group: CheckGroup,
  id: string,
  check: () => Promise<CheckOutcome>,
  fixOnThrow: string,
): Promise<CheckResult> {
  const started = performance.now();
  let outcome: CheckOutcome;
  try {
    outcome = await check();
  } catch (error) {
    outcome = { status: "fail", summary: (error as Error).message, fix: fixOnThrow };
  }
  return { group, id, ...outcome, durationMs: Math.round(performance.now() - started) };
}

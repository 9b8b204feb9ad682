/** `inhouse doctor`'s output: one line per check, the fix under each failure, and a last verdict line. */
import type { CheckResult } from "./check.ts";

const MARK = { ok: "ok  ", warn: "warn", fail: "FAIL" } as const;

export function formatReport(results: CheckResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${MARK[result.status]}  ${result.id}: ${result.summary}`);
    if (result.fix && result.status !== "ok") lines.push(`      fix: ${result.fix}`);
  }
  const failed = results.filter((r) => r.status === "fail").length;
  const warned = results.filter((r) => r.status === "warn").length;
  lines.push(
    failed === 0
      ? `inhouse doctor: all ${results.length} checks passed${warned ? ` (${warned} warnings)` : ""}`
      : `inhouse doctor: ${failed} of ${results.length} checks failed`,
  );
  return `${lines.join("\n")}\n`;
}

/** `--json`: stable for automation; `ok` is what the exit code says. */
export function jsonReport(results: CheckResult[]): string {
  return `${JSON.stringify({ ok: results.every((r) => r.status !== "fail"), checks: results }, null, 2)}\n`;
}

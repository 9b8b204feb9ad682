import { openAuditLog } from "../agent/audit-log.ts";
import type { CutText } from "../github/long-bodies.ts";

/** The whole of every text GitHub could not take, one audit line each (the log is uploaded with the run). */
export function recordCutTexts(auditPath: string, secrets: string[], cut: CutText[]): void {
  if (cut.length === 0) return;
  const audit = openAuditLog(auditPath, secrets);
  for (const text of cut)
    audit.write({ type: "published_text", what: text.what, chars: text.chars, text: text.text });
}

/**
 * The audit log's redactor: every secret the run knows, in every form core knows (encoded,
 * split), and anything shaped like a credential. One call site, so the rule lives in core.
 */
import { createRedactor, type Redactor } from "../../core/redact.ts";

export type { Redactor };

export function createAuditRedactor(secrets: string[]): Redactor {
  return createRedactor(secrets.filter(Boolean));
}

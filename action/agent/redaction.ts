/**
 * The single call site that turns a run's secrets into a redactor for the audit log.
 * TODO(core/redact.ts): swap the body for `createRedactor(secrets)` once the core module lands; it
 * also removes secret-shaped strings, not only the secrets this run knows.
 */
export type Redactor = (text: string) => string;

export function createAuditRedactor(secrets: string[]): Redactor {
  // Longest first, so a secret that contains another is removed whole; very short values would
  // redact ordinary words and are not credentials.
  const known = [...new Set(secrets.filter((secret) => secret.length >= 6))].sort(
    (a, b) => b.length - a.length,
  );
  if (known.length === 0) return (text) => text;
  return (text) => known.reduce((out, secret) => out.replaceAll(secret, "[REDACTED]"), text);
}

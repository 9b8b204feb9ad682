/**
 * Invariant 6 for text leaving the action (comments, PR bodies, summary). TODO(core/redact.ts):
 * switch to the shared `createRedactor` once it lands; this is the one call site in the action.
 */
const SECRET_SHAPES = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bsk-[A-Za-z0-9_-]{20,}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

export function createActionRedactor(secrets: string[]): (text: string) => string {
  const known = [...new Set(secrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of known) out = out.split(secret).join("***");
    for (const shape of SECRET_SHAPES) out = out.replace(shape, "***");
    return out;
  };
}

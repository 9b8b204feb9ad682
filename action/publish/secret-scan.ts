/**
 * Invariant 6 for commits: a change that would publish a credential is refused. Added lines are
 * run through the run's redactor (every form of every secret the run knows, and anything shaped
 * like a credential); if it would change them, the patch carries a secret. The reason names the
 * files, never the secret.
 */
export function secretsInPatch(patch: string, redact: (text: string) => string): string | undefined {
  const files = new Set<string>();
  let file = "";
  for (const line of patch.split("\n")) {
    if (line.startsWith("+++ ")) file = line.replace(/^\+\+\+ (b\/)?/, "");
    else if (line.startsWith("+") && redact(line) !== line) files.add(file);
  }
  if (files.size === 0) return undefined;
  return `the change adds what looks like a credential (in ${[...files].map((f) => `\`${f}\``).join(", ")}); nothing with a secret is published. Remove it, or make the change by hand`;
}

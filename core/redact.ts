import { REDACTED, redactSecretShapes } from "./secret-patterns.ts";
import { secretVariants } from "./secret-variants.ts";

export { REDACTED } from "./secret-patterns.ts";
export { MIN_SECRET_LENGTH } from "./secret-variants.ts";

export type Redactor = (text: string) => string;

/**
 * One redactor per run, applied to everything that leaves it: comments, PR bodies, commit
 * messages, logs, the audit record. It removes every form of the secrets the run knows (see
 * secret-variants.ts) and anything shaped like a credential (see secret-patterns.ts), replacing
 * each with `***`.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const variants = [...new Set(secrets.flatMap(secretVariants))].sort((a, b) => b.length - a.length);
  return (text) => {
    let redacted = text;
    // split/join searches with indexOf; longest first, so a secret inside a longer form goes with it.
    for (const variant of variants) {
      if (redacted.includes(variant)) redacted = redacted.split(variant).join(REDACTED);
    }
    return redactSecretShapes(redacted);
  };
}

import { REDACTED, redactSecretShapes } from "./secret-patterns.ts";
import { secretVariants } from "./secret-variants.ts";
import { secretView } from "./secret-view.ts";

export { REDACTED } from "./secret-patterns.ts";
export { MIN_SECRET_LENGTH } from "./secret-variants.ts";

export type Redactor = (text: string) => string;

/** The spans of `text` where any variant appears in its secret view, merged where they overlap. */
function secretSpans(text: string, variants: readonly string[]): Array<[number, number]> {
  const view = secretView(text);
  const spans: Array<[number, number]> = [];
  for (const variant of variants) {
    for (let at = view.text.indexOf(variant); at !== -1; at = view.text.indexOf(variant, at + 1)) {
      spans.push([view.start[at]!, view.end[at + variant.length - 1]!]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

/**
 * One redactor per run, applied to everything that leaves it: comments, PR bodies, commit
 * messages, logs, the audit record. It removes every form of the secrets the run knows (see
 * secret-variants.ts), matched on the text's secret view (secret-view.ts) so encodings, inserted
 * invisible characters, line breaks and HTML comments do not hide them, and anything shaped like
 * a credential (see secret-patterns.ts), replacing each with `***`.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const variants = [...new Set(secrets.flatMap(secretVariants))];
  return (text) => {
    if (variants.length === 0) return redactSecretShapes(text);
    let redacted = "";
    let from = 0;
    for (const [start, end] of secretSpans(text, variants)) {
      redacted += text.slice(from, start) + REDACTED;
      from = end;
    }
    return redactSecretShapes(redacted + text.slice(from));
  };
}

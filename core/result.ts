/** One problem found in input, located by its path (`limits.turns`, `trigger.at`). */
export interface FieldError {
  path: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Renders errors one per line, as they appear in status comments and CLI output. */
export function formatErrors(errors: FieldError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("\n");
}

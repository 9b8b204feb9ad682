import type { z } from "zod";
import type { FieldError } from "./result.ts";

export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) =>
      typeof segment === "number" ? `[${segment}]` : `${i === 0 ? "" : "."}${String(segment)}`,
    )
    .join("");
}

/** Turns zod issues into located errors; messages say what was expected. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message }));
}

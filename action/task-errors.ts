/** The task must not run, for a reason the requester can act on; the status ends as `refused`. */
export class Refusal extends Error {
  override name = "Refusal";
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The task must not run, for a reason the requester can act on; the status ends as `refused`. */
export class Refusal extends Error {
  override name = "Refusal";
}

/** The job was cancelled while the task ran; the status ends as `cancelled`. */
export class Cancelled extends Error {
  override name = "Cancelled";
  constructor() {
    super("the workflow run was cancelled");
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

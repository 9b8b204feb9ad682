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

/**
 * GitHub does not confirm that the App dispatched this task (`core/task-authenticity.ts`). Nothing
 * is written anywhere: the reason goes to the job log only, because the comment the task names may
 * belong to someone else's task.
 */
export class NotDispatchedByApp extends Error {
  override name = "NotDispatchedByApp";
  constructor(reason: string) {
    super(
      `refused: this task was not dispatched by the inhouse App: ${reason}. Nothing was written. Tasks start from the App (the trigger label or the /agent command), not from a hand-made workflow dispatch.`,
    );
  }
}

import { z } from "zod";
import type { Parsed } from "./result.ts";
import { toFieldErrors } from "./zod-errors.ts";

/**
 * Versions this build understands; the app and the action must share at least one. v2 adds
 * `reviewComment` (a command on a line of the diff): the App writes v2 only for such a task, so
 * every other task stays v1 and an action of the previous release still runs it; an older action
 * given a v2 task refuses it with "unsupported task version 2 … update the app and the action",
 * never by misreading a field it does not know.
 */
export const SUPPORTED_TASK_VERSIONS = [1, 2] as const;

/**
 * GitHub caps a workflow_dispatch input at 65,535 characters. Instructions are the only unbounded
 * field, so they get a bound that keeps the whole serialized task far below that cap.
 */
export const MAX_INSTRUCTIONS_CHARS = 16_000;

const githubName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.-]+$/, "expected a GitHub owner or repository name (letters, digits, '-', '_', '.')");

export const taskKinds = ["fix-issue", "fix-pr", "review", "automation"] as const;
export type TaskKind = (typeof taskKinds)[number];

export const TaskSchema = z
  .strictObject({
    v: z.union([z.literal(1), z.literal(2)]),
    kind: z.enum(taskKinds),
    repo: z.strictObject({ owner: githubName, name: githubName }),
    number: z.number().int().positive().optional(),
    automation: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "expected an automation name (lowercase letters, digits, '-')")
      .optional(),
    instructions: z
      .string()
      .max(
        MAX_INSTRUCTIONS_CHARS,
        `instructions are limited to ${MAX_INSTRUCTIONS_CHARS} characters; shorten them or put the detail in the issue body`,
      )
      .optional(),
    trigger: z.strictObject({
      event: z.string().min(1).max(100),
      delivery: z.string().min(1).max(200),
      actor: z.string().min(1).max(100),
      commentId: z.number().int().positive().optional(),
      at: z.iso.datetime({
        offset: true,
        error: "expected an ISO 8601 time such as 2026-01-31T12:00:00Z (the trigger event's created_at)",
      }),
    }),
    statusCommentId: z.number().int().positive().optional(),
    /**
     * v2: the review comment (on a line of the diff) the command was given in. The agent answers
     * in its thread and resolves the thread when its commit changes that comment's file.
     */
    reviewComment: z
      .strictObject({ id: z.number().int().positive(), path: z.string().min(1).max(1_000) })
      .optional(),
  })
  .superRefine((task, ctx) => {
    if ((task.reviewComment !== undefined) !== (task.v === 2)) {
      ctx.addIssue({
        code: "custom",
        path: ["v"],
        message: "a task with reviewComment is version 2, and only such a task is",
      });
    }
    if (task.reviewComment !== undefined && task.kind !== "fix-pr") {
      ctx.addIssue({
        code: "custom",
        path: ["reviewComment"],
        message: "only a fix-pr task has a review comment",
      });
    }
    if (task.kind !== "automation" && task.number === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["number"],
        message: `a ${task.kind} task needs the issue or PR number`,
      });
    }
    if (task.kind === "automation" && task.automation === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["automation"],
        message: "an automation task needs the automation name",
      });
    }
  });

export type Task = z.infer<typeof TaskSchema>;

/** Parses the workflow input `task`. Never throws: bad input comes back as located errors. */
export function parseTask(text: string): Parsed<Task> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      errors: [{ path: "", message: `task is not valid JSON: ${(error as Error).message}` }],
    };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ path: "", message: "task must be a JSON object" }] };
  }
  const version = (raw as { v?: unknown }).v;
  if (!(SUPPORTED_TASK_VERSIONS as readonly unknown[]).includes(version)) {
    return {
      ok: false,
      errors: [
        {
          path: "v",
          message: `unsupported task version ${version === undefined ? "(missing)" : JSON.stringify(version)}; this build supports v ${SUPPORTED_TASK_VERSIONS.join(", ")}. Update the app and the action to the same release.`,
        },
      ],
    };
  }
  const result = TaskSchema.safeParse(raw);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: toFieldErrors(result.error) };
}

/** Validates before serialising, so a bad task fails in the app, not on the runner. */
export function serializeTask(task: Task): string {
  return JSON.stringify(TaskSchema.parse(task));
}

import { z } from "zod";
import type { FieldError } from "../../core/result.ts";
import { toFieldErrors } from "../../core/zod-errors.ts";
import { parseInternalRanges } from "../sandbox/egress/private-ranges.ts";
import { RUNTIME_NAME } from "../sandbox/runtimes.ts";

/** The largest change the action publishes by default (inputs max-patch-bytes, max-changed-files); the CLI's limits. */
export const DEFAULT_PATCH_LIMITS = { maxBytes: 1_000_000, maxFiles: 200 };

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .transform((v) => (v === "" ? fallback : Number(v)))
    .pipe(z.number().int().positive());

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v));

const networkList = z
  .string()
  .trim()
  .transform((v) => (v === "" ? "none" : v).split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.enum(["none", "allowlist", "open"])).min(1));

const AUTOMATION_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Action inputs as `core.getInput` returns them: strings, empty when unset. */
export const InputsSchema = z.object({
  /** The App's task JSON; empty in the automations workflow, which names an automation instead. */
  task: optionalText,
  /** A scheduled or manually dispatched automation (`automations.tasks.<name>`): the action builds the task. */
  automation: optionalText,
  /** Repository an automation runs on (owner/name); default the workflow's own (central runner repositories set it). */
  repository: optionalText,
  "github-token": optionalText,
  /** The App's private key as a file on the runner host (never a repository secret): the action mints the task token. */
  "app-private-key-file": optionalText,
  "app-url": optionalText.pipe(
    z
      .url({
        error: "app-url must be the inhouse App's address, e.g. https://inhouse.example.com (its PUBLIC_URL)",
      })
      .optional(),
  ),
  "app-id": z
    .string()
    .trim()
    .min(
      1,
      "app-id is empty; set it to the inhouse App's numeric id (the App's settings page, or vars.INHOUSE_APP_ID): the action runs only tasks that App dispatched",
    )
    .transform(Number)
    .pipe(z.number({ error: "app-id must be the App's numeric id, e.g. 123456" }).int().positive()),
  "model-base-url": optionalText,
  "model-api-key": optionalText,
  "model-name": optionalText,
  "model-profiles-file": optionalText,
  "mcp-servers-file": optionalText,
  image: optionalText,
  "cache-dir": optionalText,
  "audit-dir": optionalText,
  "ca-bundle": optionalText,
  "max-turns": positiveInt(100),
  "max-tokens": positiveInt(5_000_000),
  "max-minutes": positiveInt(60),
  "max-calls-per-turn": positiveInt(50),
  "max-memory-mb": positiveInt(8192),
  "max-cpus": z
    .string()
    .trim()
    .transform((v) => (v === "" ? 4 : Number(v)))
    .pipe(z.number().positive().max(64)),
  "max-pids": positiveInt(4096),
  "max-task-cost": z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : Number(v)))
    .pipe(
      z
        .number({ error: "max-task-cost must be a number, e.g. 2.50 (in the unit of the profiles' prices)" })
        .min(0)
        .optional(),
    ),
  "allowed-networks": networkList,
  "egress-hosts": z
    .string()
    .trim()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean)),
  "egress-internal-ranges": z
    .string()
    .trim()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .superRefine((ranges, context) => {
      try {
        parseInternalRanges(ranges);
      } catch (error) {
        context.addIssue({
          code: "custom",
          message: (error as Error).message.replace(/^egress-internal-ranges: /, ""),
        });
      }
    }),
  "allowed-images": z
    .string()
    .trim()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean)),
  "sandbox-runtime": optionalText.pipe(
    z
      .string()
      .regex(RUNTIME_NAME, "sandbox-runtime is a runtime registered with dockerd, such as runsc")
      .optional(),
  ),
  "allowed-runtimes": z
    .string()
    .trim()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(
      z.array(z.string().regex(RUNTIME_NAME, "allowed-runtimes lists runtime names, such as runsc, runc")),
    ),
  "max-patch-bytes": positiveInt(DEFAULT_PATCH_LIMITS.maxBytes),
  "max-changed-files": positiveInt(DEFAULT_PATCH_LIMITS.maxFiles),
  "author-name": optionalText,
  "author-email": optionalText,
  "status-interval-seconds": positiveInt(15),
  "github-timeout-seconds": positiveInt(30),
  "sandbox-pool": z
    .string()
    .trim()
    .transform((v) => (v === "" ? 1 : Number(v)))
    .pipe(
      z
        .number()
        .int()
        .min(0, "sandbox-pool is how many sandboxes to keep warm per profile: 0 (off) or more")
        .max(16, "sandbox-pool keeps at most 16 warm sandboxes per profile"),
    ),
});

/** One of `task` and `automation`, never both: the two workflows, each with its own way to name the work. */
function sourceErrors(task: string, automation: string): FieldError[] {
  if (task && automation) {
    return [
      {
        path: "automation",
        message:
          "set either task (the App's dispatch, agent.yml) or automation (a scheduled run, agent-automations.yml), not both",
      },
    ];
  }
  if (!task && !automation) {
    return [
      {
        path: "task",
        message:
          "the task input is empty; the agent workflow passes inputs.task through with:, the automations workflow passes automation: <a name under automations.tasks> instead",
      },
    ];
  }
  if (automation && !AUTOMATION_NAME.test(automation)) {
    return [
      {
        path: "automation",
        message: `${JSON.stringify(automation)} is not an automation name (lowercase letters, digits, '-'), as written under automations.tasks in .github/agent.yml`,
      },
    ];
  }
  return [];
}

export const INPUT_NAMES = Object.keys(InputsSchema.shape) as (keyof typeof InputsSchema.shape)[];

export type ActionInputs = z.infer<typeof InputsSchema>;

/**
 * The inputs as the runner read them, checked: each field by its schema, exactly one token source
 * (app-url, app-private-key-file, github-token), exactly one of task and automation.
 */
export function checkInputs(
  raw: Record<string, string>,
): { ok: true; inputs: ActionInputs } | { ok: false; errors: FieldError[] } {
  const parsed = InputsSchema.superRefine((inputs, context) => {
    const chosen = (["app-url", "app-private-key-file", "github-token"] as const).filter(
      (name) => inputs[name],
    );
    if (chosen.length !== 1) {
      context.addIssue({
        code: "custom",
        path: ["app-url"],
        message: `set app-url (the inhouse App's address: the job trades its OIDC token there for a task token; needs permissions: id-token: write) or, where runners cannot reach the App, app-private-key-file (the App's key as a file on the runner host) or github-token; exactly one${chosen.length > 1 ? `, not ${chosen.join(" and ")}` : ""}`,
      });
    }
  }).safeParse(raw);
  const errors = [
    ...sourceErrors(raw.task?.trim() ?? "", raw.automation?.trim() ?? ""),
    ...(parsed.success ? [] : toFieldErrors(parsed.error)),
  ];
  if (!parsed.success || errors.length > 0) return { ok: false, errors };
  return { ok: true, inputs: parsed.data };
}

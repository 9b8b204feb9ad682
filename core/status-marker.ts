import { z } from "zod";
import { taskKinds } from "./task.ts";
import { UsageRecordSchema } from "./usage-record.ts";

/**
 * The status comment carries its machine state in a hidden HTML comment, so the app and the action
 * share state through GitHub itself instead of a database:
 *
 *   <!-- inhouse:status {"v":1,"task":{"kind":"fix-issue","number":12},"delivery":"…","actor":"octocat","state":"queued","run":{"id":42,"repo":"o/r"}} -->
 *
 * Only markers in comments written by the App are trusted; anyone can type this text in a comment.
 * And only at the App's own position, the very start of the body: the App's comments also carry
 * text the model wrote (a reply's summary), and that text is data, never state (issue #13, item 2).
 */
export const STATUS_MARKER_NAME = "inhouse:status";

export const statusStates = ["queued", "running", "succeeded", "failed", "cancelled", "refused"] as const;
export type StatusState = (typeof statusStates)[number];
export const terminalStates = [
  "succeeded",
  "failed",
  "cancelled",
  "refused",
] as const satisfies readonly StatusState[];

export type TerminalState = (typeof terminalStates)[number];

export function isTerminalState(state: StatusState): state is TerminalState {
  return (terminalStates as readonly string[]).includes(state);
}

export const StatusMarkerSchema = z.object({
  v: z.literal(1),
  task: z.object({
    kind: z.enum(taskKinds),
    number: z.number().int().positive().optional(),
    automation: z.string().optional(),
  }),
  /** The webhook delivery that started the task: a redelivery finds it and starts nothing. */
  delivery: z.string().min(1),
  actor: z.string().min(1),
  state: z.enum(statusStates),
  /**
   * The repository whose workflow the App dispatched the task to, when it is not the task's own (a
   * central runner repository, from `dispatch.repo` or the App-wide default; core/runner-repository.ts).
   * Written before the dispatch, so the action can confirm it from the first moment.
   */
  runner: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/)
    .optional(),
  /** The workflow run, once known; `repo` is where it runs (the target or the central runner repo). */
  run: z
    .object({
      id: z.number().int().positive(),
      repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
      url: z.string().optional(),
    })
    .optional(),
  /** What the task used and produced; the action writes it with the terminal state (core/usage-record.ts). */
  usage: UsageRecordSchema.optional(),
});
export type StatusMarker = z.infer<typeof StatusMarkerSchema>;

/** Anchored: a marker anywhere but the start of the body is text, whoever's comment it is in. */
const MARKER = /^<!-- inhouse:status (\{.*?\}) -->/s;

/** `<` and `>` are escaped so no value can close the HTML comment early. */
export function renderStatusMarker(marker: StatusMarker): string {
  const json = JSON.stringify(StatusMarkerSchema.parse(marker))
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e");
  return `<!-- ${STATUS_MARKER_NAME} ${json} -->`;
}

/** The marker in a comment body, or undefined when there is none or it does not validate. */
export function parseStatusMarker(body: string): StatusMarker | undefined {
  const json = MARKER.exec(body)?.[1];
  if (json === undefined) return undefined;
  try {
    const result = StatusMarkerSchema.safeParse(JSON.parse(json));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** A full status comment: the marker, then the human-readable text. */
export function renderStatusComment(marker: StatusMarker, text: string): string {
  return `${renderStatusMarker(marker)}\n${text}`;
}

/**
 * Model-written text with anything that could read as one of the App's hidden markers made
 * visible and inert: the HTML comment opener before `inhouse` is escaped, so GitHub shows it as
 * text and no parser, ours or a future one, finds a marker in it. Applied to everything the
 * action posts (replies, PR bodies, reviews, issues, status text, job summary).
 */
export function neutraliseMarkers(text: string): string {
  return text.replace(/<!--(\s*inhouse)/gi, "&lt;!--$1");
}

/** The human-readable part of a status comment (everything but the marker). */
export function statusText(body: string): string {
  return body.replace(MARKER, "").trim();
}

/**
 * The agent workflow names its runs with a tag the app can read back from `workflow_run` events
 * (whose payload does not carry the inputs). The workflow sets:
 *
 *   run-name: ${{ format('agent inhouse:{0}/{1}#{2}:{3}', fromJSON(inputs.task).repo.owner,
 *     fromJSON(inputs.task).repo.name, fromJSON(inputs.task).number, fromJSON(inputs.task).statusCommentId) }}
 */
export const RUN_NAME_EXPRESSION =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
  "${{ format('agent inhouse:{0}/{1}#{2}:{3}', fromJSON(inputs.task).repo.owner, fromJSON(inputs.task).repo.name, fromJSON(inputs.task).number, fromJSON(inputs.task).statusCommentId) }}";

export interface RunNameTag {
  owner: string;
  name: string;
  number?: number;
  statusCommentId: number;
}

export function renderRunName(tag: RunNameTag): string {
  return `agent inhouse:${tag.owner}/${tag.name}#${tag.number ?? ""}:${tag.statusCommentId}`;
}

export function parseRunName(title: string): RunNameTag | undefined {
  const match = /inhouse:([\w.-]+)\/([\w.-]+)#(\d*):(\d+)/.exec(title);
  if (!match) return undefined;
  const [, owner, name, number, statusCommentId] = match;
  return {
    owner: owner!,
    name: name!,
    ...(number ? { number: Number(number) } : {}),
    statusCommentId: Number(statusCommentId),
  };
}

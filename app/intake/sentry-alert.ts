import { z } from "zod";

/**
 * The fields read from Sentry's integration-platform webhooks, validated once. Two resources carry a
 * new error (https://docs.sentry.io/integrations/integration-platform/webhooks/):
 * - `event_alert` / `triggered` ("Issue Alerts"): `data.event` with `issue_id`, `title`, `culprit`,
 *   `web_url`, `url` (the API URL `…/projects/<org>/<project>/events/<id>/`, the only place the
 *   project's slug appears; `project` is its numeric id) and `exception.values[].stacktrace.frames`,
 *   oldest frame first;
 * - `issue` / `created` ("Issues"): `data.issue` with `id`, `title`, `culprit`, `firstSeen`,
 *   `lastSeen`, `count` (a string), `permalink`, `web_url` and `project.slug`.
 * Everything else (installation, metric_alert, comment, error, other actions) is acknowledged and ignored.
 */
const frame = z.looseObject({
  filename: z.string().nullish(),
  abs_path: z.string().nullish(),
  function: z.string().nullish(),
  module: z.string().nullish(),
  lineno: z.number().nullish(),
  colno: z.number().nullish(),
  in_app: z.boolean().nullish(),
});
const exception = z.looseObject({
  type: z.string().nullish(),
  value: z.string().nullish(),
  stacktrace: z.looseObject({ frames: z.array(frame).default([]) }).nullish(),
});

const EventAlertSchema = z.looseObject({
  action: z.literal("triggered"),
  data: z.looseObject({
    event: z.looseObject({
      issue_id: z.union([z.string(), z.number()]).transform(String),
      title: z.string().default(""),
      culprit: z.string().nullish(),
      datetime: z.string().nullish(),
      url: z.string().default(""),
      web_url: z.string().nullish(),
      exception: z.looseObject({ values: z.array(exception).nullish() }).nullish(),
    }),
    triggered_rule: z.string().nullish(),
  }),
});

const IssueCreatedSchema = z.looseObject({
  action: z.literal("created"),
  data: z.looseObject({
    issue: z.looseObject({
      id: z.union([z.string(), z.number()]).transform(String),
      title: z.string().default(""),
      culprit: z.string().nullish(),
      firstSeen: z.string().nullish(),
      lastSeen: z.string().nullish(),
      count: z.union([z.string(), z.number()]).nullish(),
      permalink: z.string().nullish(),
      web_url: z.string().nullish(),
      project: z.looseObject({ slug: z.string() }),
    }),
  }),
});

export type SentryFrame = z.infer<typeof frame>;

/** One Sentry issue, whichever webhook told us about it. */
export interface SentryIssue {
  id: string;
  project: string;
  title: string;
  culprit?: string;
  exception?: string;
  frames: SentryFrame[];
  firstSeen?: string;
  lastSeen?: string;
  count?: string;
  link?: string;
  rule?: string;
}

export type SentryParse = { kind: "issue"; issue: SentryIssue } | { kind: "ignored"; why: string };

const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/** The project slug from an event's API URL: `/api/0/projects/<org>/<project>/events/<id>/`. */
export function projectFromEventUrl(url: string): string | undefined {
  return /\/projects\/[^/]+\/([^/]+)\/events\//.exec(url)?.[1];
}

export function parseSentryWebhook(resource: string | undefined, payload: unknown): SentryParse {
  if (resource === "event_alert") {
    const parsed = EventAlertSchema.safeParse(payload);
    if (!parsed.success) return { kind: "ignored", why: "event_alert without the event fields" };
    const { event, triggered_rule } = parsed.data.data;
    const project = projectFromEventUrl(event.url);
    if (!project) return { kind: "ignored", why: "event_alert whose event URL names no project" };
    const values = (event.exception?.values ?? []).filter(present);
    const last = values.at(-1);
    return {
      kind: "issue",
      issue: {
        id: event.issue_id,
        project,
        title: event.title,
        ...(event.culprit ? { culprit: event.culprit } : {}),
        ...(last?.type ? { exception: [last.type, last.value].filter(Boolean).join(": ") } : {}),
        frames: values.flatMap((value) => value.stacktrace?.frames ?? []),
        ...(event.datetime ? { lastSeen: event.datetime } : {}),
        ...(event.web_url ? { link: event.web_url } : {}),
        ...(triggered_rule ? { rule: triggered_rule } : {}),
      },
    };
  }
  if (resource === "issue") {
    const parsed = IssueCreatedSchema.safeParse(payload);
    if (!parsed.success) return { kind: "ignored", why: "issue webhook that is not a new issue" };
    const { issue } = parsed.data.data;
    const link = issue.web_url ?? issue.permalink;
    return {
      kind: "issue",
      issue: {
        id: issue.id,
        project: issue.project.slug,
        title: issue.title,
        ...(issue.culprit ? { culprit: issue.culprit } : {}),
        frames: [],
        ...(issue.firstSeen ? { firstSeen: issue.firstSeen } : {}),
        ...(issue.lastSeen ? { lastSeen: issue.lastSeen } : {}),
        ...(present(issue.count) ? { count: String(issue.count) } : {}),
        ...(link ? { link } : {}),
      },
    };
  }
  return { kind: "ignored", why: `resource ${resource ?? "(none)"} does not report a new error` };
}

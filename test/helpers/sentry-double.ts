import { createHmac, randomUUID } from "node:crypto";

/**
 * Sentry's integration-platform webhooks as Sentry sends them
 * (https://docs.sentry.io/integrations/integration-platform/webhooks/): a JSON POST with the headers
 * `Content-Type`, `Request-ID`, `Sentry-Hook-Resource`, `Sentry-Hook-Timestamp` (Unix seconds) and
 * `Sentry-Hook-Signature`, the hex HMAC-SHA256 of the body keyed with the integration's Client Secret.
 */
export function sentrySignature(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

export interface SentryDelivery {
  resource: "event_alert" | "issue" | "installation" | "metric_alert";
  payload: unknown;
  secret: string;
  /** Replaces the computed signature (an attack); `null` leaves the header out. */
  signature?: string | null;
  requestId?: string;
}

export async function sendSentryWebhook(url: string, delivery: SentryDelivery): Promise<Response> {
  const body = JSON.stringify(delivery.payload);
  const signature =
    delivery.signature === undefined ? sentrySignature(body, delivery.secret) : delivery.signature;
  return fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Request-ID": delivery.requestId ?? randomUUID(),
      "Sentry-Hook-Resource": delivery.resource,
      "Sentry-Hook-Timestamp": String(Math.floor(Date.now() / 1000)),
      ...(signature === null ? {} : { "Sentry-Hook-Signature": signature }),
    },
    body,
  });
}

export interface SentryErrorFields {
  issueId: string;
  org?: string;
  project: string;
  title: string;
  culprit?: string;
  exception?: { type: string; value: string };
  frames?: { filename: string; function: string | null; lineno: number; colno?: number; in_app: boolean }[];
}

/**
 * An issue alert (`Sentry-Hook-Resource: event_alert`, action `triggered`), shaped like the payload
 * on https://docs.sentry.io/integrations/integration-platform/webhooks/issue-alerts/: the event with
 * `issue_id` (a string), `url` (the event's API URL, naming org and project slug), `web_url`,
 * `issue_url`, `project` (the numeric id) and `exception.values[].stacktrace.frames` oldest first.
 */
export function sentryEventAlert(fields: SentryErrorFields) {
  const org = fields.org ?? "acme";
  const eventId = randomUUID().replaceAll("-", "");
  const exception = fields.exception ?? { type: "TypeError", value: "x is undefined" };
  return {
    action: "triggered",
    actor: { id: "sentry", name: "Sentry", type: "application" },
    data: {
      event: {
        event_id: eventId,
        issue_id: fields.issueId,
        issue_url: `https://sentry.io/api/0/issues/${fields.issueId}/`,
        url: `https://sentry.io/api/0/projects/${org}/${fields.project}/events/${eventId}/`,
        web_url: `https://sentry.io/organizations/${org}/issues/${fields.issueId}/events/${eventId}/`,
        project: 1,
        title: fields.title,
        culprit: fields.culprit ?? null,
        datetime: "2026-12-01T21:06:17.677000Z",
        level: "error",
        platform: "javascript",
        exception: {
          values: [
            {
              type: exception.type,
              value: exception.value,
              mechanism: { type: "onerror", handled: false },
              stacktrace: {
                frames: (fields.frames ?? []).map((frame) => ({
                  abs_path: frame.filename,
                  colno: frame.colno ?? null,
                  context_line: null,
                  filename: frame.filename,
                  function: frame.function,
                  in_app: frame.in_app,
                  lineno: frame.lineno,
                  module: null,
                })),
              },
            },
          ],
        },
        metadata: { type: exception.type, value: exception.value },
      },
      triggered_rule: "New errors in production",
      issue_alert: { title: "New errors in production", settings: [] },
    },
    installation: { uuid: randomUUID() },
  };
}

/**
 * A new issue (`Sentry-Hook-Resource: issue`, action `created`), shaped like
 * https://docs.sentry.io/integrations/integration-platform/webhooks/issues/: `count` is a string,
 * `project` an object with `slug`, first and last seen as ISO times.
 */
export function sentryIssueCreated(fields: SentryErrorFields & { count?: string }) {
  const org = fields.org ?? "acme";
  return {
    action: "created",
    actor: { id: "sentry", name: "Sentry", type: "application" },
    data: {
      issue: {
        id: fields.issueId,
        shortId: `${fields.project.toUpperCase()}-1`,
        title: fields.title,
        culprit: fields.culprit ?? null,
        count: fields.count ?? "1",
        firstSeen: "2026-12-01T20:58:37.391000Z",
        lastSeen: "2026-12-01T21:06:17.677000Z",
        level: "error",
        permalink: null,
        web_url: `https://sentry.io/organizations/${org}/issues/${fields.issueId}/`,
        project: { id: "1", name: fields.project, platform: "", slug: fields.project },
        status: "unresolved",
        type: "error",
      },
    },
    installation: { uuid: randomUUID() },
  };
}

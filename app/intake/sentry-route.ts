import type { IncomingMessage, ServerResponse } from "node:http";
import { type IntakeContext, openTaskIssue } from "./open-task-issue.ts";
import { readBody } from "./read-body.ts";
import { sendJson } from "./respond.ts";
import { parseSentryWebhook } from "./sentry-alert.ts";
import { sentryIssueBody, sentryIssueTitle, sentryRepeatComment } from "./sentry-issue-text.ts";
import type { IntakeSettings } from "./settings.ts";
import { verifySentrySignature } from "./signatures.ts";

/**
 * Sentry's internal-integration webhooks (`POST /api/sentry/webhook`). The signature is checked
 * before a byte of the body is parsed; a bad one gets 401 and no work. A new error in a mapped
 * project becomes (or finds) an issue, after the answer: Sentry does not wait for GitHub.
 */
export async function handleSentry(
  ctx: IntakeContext,
  settings: IntakeSettings & { sentry: NonNullable<IntakeSettings["sentry"]> },
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request);
  const signature = request.headers["sentry-hook-signature"];
  if (
    !verifySentrySignature(
      body,
      typeof signature === "string" ? signature : undefined,
      settings.sentrySecret!,
    )
  ) {
    ctx.log.warn({ source: "sentry" }, "Sentry webhook with a missing or bad signature refused");
    return sendJson(response, 401, {
      error:
        "bad signature: Sentry-Hook-Signature must be the HMAC-SHA256 of the body with the integration's Client Secret (check SENTRY_CLIENT_SECRET)",
    });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString("utf8"));
  } catch {
    return sendJson(response, 400, { error: "the body is not JSON" });
  }
  const resource = request.headers["sentry-hook-resource"];
  const parsed = parseSentryWebhook(typeof resource === "string" ? resource : undefined, payload);
  if (parsed.kind === "ignored") {
    ctx.metrics.deliveries.inc({ event: "intake.sentry", outcome: "ignored" });
    return sendJson(response, 200, { status: "ignored", why: parsed.why });
  }
  const { issue } = parsed;
  const target = settings.sentry.projects[issue.project];
  if (!target) {
    ctx.log.info(
      { source: "sentry", project: issue.project },
      "Sentry project not mapped to a repository; ignored",
    );
    ctx.metrics.deliveries.inc({ event: "intake.sentry", outcome: "ignored" });
    return sendJson(response, 200, {
      status: "ignored",
      why: `Sentry project ${issue.project} is not mapped to a repository (sentry.projects in INHOUSE_INTAKE_FILE)`,
    });
  }
  const [owner = "", name = ""] = target.repo.split("/");
  const requestId = request.headers["request-id"];
  const delivery = `sentry:${issue.id}:${typeof requestId === "string" && requestId ? requestId : Date.now()}`;
  sendJson(response, 202, { status: "accepted" });
  await ctx.queue.submit(async () => {
    const result = await openTaskIssue(ctx, {
      source: "sentry",
      repo: { owner, name },
      actor: target.actor,
      title: sentryIssueTitle(issue),
      body: sentryIssueBody(issue),
      key: issue.id,
      repeatComment: sentryRepeatComment(issue),
      delivery,
    });
    if (result.kind === "refused") {
      ctx.metrics.deliveries.inc({ event: "intake.sentry", outcome: "refused" });
      ctx.log.warn({ source: "sentry", repo: target.repo, why: result.message }, "Sentry alert refused");
    } else {
      ctx.log.info(
        { source: "sentry", repo: target.repo, issue: result.number, kind: result.kind },
        "Sentry alert taken",
      );
    }
  });
}

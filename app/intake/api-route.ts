import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { callerForToken, callerMayUse } from "./api-callers.ts";
import { type IntakeContext, openTaskIssue } from "./open-task-issue.ts";
import { readBody } from "./read-body.ts";
import { sendJson } from "./respond.ts";
import type { IntakeSettings } from "./settings.ts";
import { requestedIssue } from "./task-request-text.ts";

const TaskRequestSchema = z.strictObject({
  repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "repo must be owner/name, e.g. acme/web"),
  title: z.string().trim().min(1, "title must not be empty").max(256).optional(),
  body: z.string().trim().min(1, "body must say what to do").max(16_000),
});

/**
 * The direct API (`POST /api/tasks`, `Authorization: Bearer <token>`): one token per caller, each
 * scoped to repositories; a request becomes an issue with the trigger label, gated like a person.
 */
export async function handleApiTask(
  ctx: IntakeContext,
  settings: IntakeSettings & { api: NonNullable<IntakeSettings["api"]> },
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const auth = request.headers.authorization ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const caller = token ? callerForToken(settings.api.callers, token) : undefined;
  if (!caller) {
    return sendJson(
      response,
      401,
      { error: "send Authorization: Bearer <token> with a token listed (as its SHA-256) under api.callers" },
      { "www-authenticate": 'Bearer realm="inhouse"' },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse((await readBody(request)).toString("utf8"));
  } catch {
    return sendJson(response, 400, {
      error: 'the body must be JSON: {"repo": "owner/name", "body": "what to do"}',
    });
  }
  const parsed = TaskRequestSchema.safeParse(raw);
  if (!parsed.success) {
    return sendJson(response, 400, {
      error: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    });
  }
  const [owner = "", name = ""] = parsed.data.repo.split("/");
  if (!callerMayUse(caller, { owner, name })) {
    ctx.metrics.refusals.inc({ reason: "api-scope" });
    return sendJson(response, 403, {
      error: `the token of ${caller.name} is not scoped to ${parsed.data.repo} (its repos: ${caller.repos.join(", ")})`,
    });
  }
  const issue = requestedIssue(
    parsed.data.body,
    `Requested through the API by ${caller.name} for @${caller.actor}.`,
    parsed.data.title,
  );
  const result = await openTaskIssue(ctx, {
    source: "api",
    repo: { owner, name },
    actor: caller.actor,
    ...issue,
    delivery: `api:${randomUUID()}`,
  });
  if (result.kind === "refused") return sendJson(response, result.status, { error: result.message });
  return sendJson(response, 201, { issue: { number: result.number, url: result.url } });
}

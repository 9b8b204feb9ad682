import type { IncomingMessage, ServerResponse } from "node:http";
import { type IntakeContext, openTaskIssue } from "./open-task-issue.ts";
import { readBody } from "./read-body.ts";
import { sendJson } from "./respond.ts";
import type { IntakeSettings } from "./settings.ts";
import { verifySlackSignature } from "./signatures.ts";
import { parseRepoCommand, requestedIssue } from "./task-request-text.ts";

/**
 * Slack's slash command (`POST /api/slack/commands`, `/agent owner/repo: what to do`). A signature
 * or timestamp Slack would not have sent gets 401; anything else is answered in Slack's own form,
 * HTTP 200 with an ephemeral message ("Responding to slash commands",
 * https://api.slack.com/interactivity/slash-commands#responding_to_commands), within its 3 seconds.
 */
export async function handleSlack(
  ctx: IntakeContext,
  settings: IntakeSettings & { slack: NonNullable<IntakeSettings["slack"]> },
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request);
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === "string" ? value : undefined;
  };
  const verdict = verifySlackSignature(
    body,
    { signature: header("x-slack-signature"), timestamp: header("x-slack-request-timestamp") },
    settings.slackSecret!,
    ctx.now().getTime(),
  );
  if (!verdict.ok) {
    ctx.log.warn({ source: "slack", why: verdict.why }, "Slack request refused");
    return sendJson(response, 401, { error: `refused: ${verdict.why} (check SLACK_SIGNING_SECRET)` });
  }
  const form = new URLSearchParams(body.toString("utf8"));
  const say = (text: string) => sendJson(response, 200, { response_type: "ephemeral", text });
  const userId = form.get("user_id") ?? "";
  const command = form.get("command") || "/agent";
  const login = settings.slack.users[userId];
  if (!login) {
    ctx.metrics.refusals.inc({ reason: "slack-user" });
    return say(
      `Your Slack user (${userId || "unknown"}) is not linked to a GitHub login, so the agent cannot act for you. Ask whoever runs inhouse to add you under slack.users in the intake file.`,
    );
  }
  const parsed = parseRepoCommand(form.get("text") ?? "");
  if (!parsed) return say(`Usage: \`${command} owner/repo: what to do\``);
  const issue = requestedIssue(
    parsed.what,
    `Requested in Slack by @${login} (Slack user ${userId}${form.get("channel_name") ? `, #${form.get("channel_name")}` : ""}).`,
  );
  const result = await openTaskIssue(ctx, {
    source: "slack",
    repo: { owner: parsed.owner, name: parsed.name },
    actor: login,
    ...issue,
    delivery: `slack:${form.get("trigger_id") || `${userId}:${header("x-slack-request-timestamp")}`}`,
  });
  if (result.kind === "refused") return say(`🚫 ${result.message}`);
  // Kept so the App can answer here again when the task ends (its PR link): slack-follow-ups.ts.
  const responseUrl = form.get("response_url");
  const followUps = responseUrl ? ctx.slackFollowUps : undefined;
  if (followUps && responseUrl) await followUps.remember(parsed, result.number, responseUrl, ctx.now());
  return say(
    `Opened <${result.url}|${parsed.owner}/${parsed.name}#${result.number}>; the agent is starting on it.${followUps ? " The pull request will be posted here when it opens." : ""}`,
  );
}

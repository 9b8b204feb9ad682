import { createHmac, randomBytes } from "node:crypto";

/**
 * Slack's slash-command requests as Slack sends them: an `application/x-www-form-urlencoded` POST
 * with the fields of "Implementing slash commands" (https://api.slack.com/interactivity/slash-commands:
 * token, team_id, team_domain, channel_id, channel_name, user_id, user_name, command, text,
 * api_app_id, response_url, trigger_id), signed as "Verifying requests from Slack"
 * (https://api.slack.com/authentication/verifying-requests-from-slack) says: `X-Slack-Signature` =
 * `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>` with the Signing Secret, and
 * `X-Slack-Request-Timestamp` the Unix time of sending.
 */
export function slackSignature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SlashCommand {
  secret: string;
  userId: string;
  text: string;
  command?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Replaces the computed signature (an attack). */
  signature?: string;
  /** Where the App may answer later: one from `startSlackResponseDouble().newResponseUrl()`. */
  responseUrl?: string;
}

export function slashCommandBody(command: SlashCommand): string {
  return new URLSearchParams({
    token: "gIkuvaNzQIHg97ATvDxqgjtO",
    team_id: "T0001",
    team_domain: "acme",
    channel_id: "C2147483705",
    channel_name: "payments",
    user_id: command.userId,
    user_name: "someone",
    command: command.command ?? "/agent",
    text: command.text,
    api_app_id: "A123456",
    response_url: command.responseUrl ?? "https://hooks.slack.com/commands/T0001/1234/abcd",
    trigger_id: `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString("hex")}`,
  }).toString();
}

export async function sendSlashCommand(url: string, command: SlashCommand): Promise<Response> {
  const body = slashCommandBody(command);
  const timestamp = String(command.timestamp ?? Math.floor(Date.now() / 1000));
  return fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Slack-Request-Timestamp": timestamp,
      "X-Slack-Signature": command.signature ?? slackSignature(command.secret, timestamp, body),
    },
    body,
  });
}

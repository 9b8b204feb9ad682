import type { IncomingMessage, ServerResponse } from "node:http";
import { handleApiTask } from "./api-route.ts";
import type { IntakeContext } from "./open-task-issue.ts";
import { BodyTooLarge } from "./read-body.ts";
import { sendJson } from "./respond.ts";
import { handleSentry } from "./sentry-route.ts";
import type { IntakeSettings } from "./settings.ts";
import { handleSlack } from "./slack-route.ts";

export const INTAKE_PATHS = {
  sentry: "/api/sentry/webhook",
  slack: "/api/slack/commands",
  api: "/api/tasks",
} as const;

/** The intake routes, beside Probot's webhook route; only the configured sources answer. */
export function intakeRoutes(ctx: IntakeContext, settings: IntakeSettings) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const path = request.url?.split("?")[0];
    const route =
      path === INTAKE_PATHS.sentry && settings.sentry
        ? () => handleSentry(ctx, { ...settings, sentry: settings.sentry! }, request, response)
        : path === INTAKE_PATHS.slack && settings.slack
          ? () => handleSlack(ctx, { ...settings, slack: settings.slack! }, request, response)
          : path === INTAKE_PATHS.api && settings.api
            ? () => handleApiTask(ctx, { ...settings, api: settings.api! }, request, response)
            : undefined;
    if (!route) return false;
    if (request.method !== "POST") {
      sendJson(response, 405, { error: "use POST" }, { allow: "POST" });
      return true;
    }
    try {
      await route();
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendJson(response, 413, { error: error.message });
        return true;
      }
      ctx.log.error({ err: error, path }, "intake request failed");
      if (!response.headersSent)
        sendJson(response, 500, { error: "the App failed to handle this request; see its log" });
    }
    return true;
  };
}

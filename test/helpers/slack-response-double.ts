import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  SLACK_RESPONSE_URL_LIFETIME_MS,
  SLACK_RESPONSE_URL_USES,
} from "../../app/intake/slack-response-url.ts";

/**
 * Slack's side of a slash command's `response_url`, as strict as Slack documents it ("Implementing
 * slash commands", https://api.slack.com/interactivity/slash-commands#responding_response_url):
 * - a URL is issued with each command (`newResponseUrl`) and names that one invocation;
 * - it accepts a `POST` whose `Content-type` is `application/json` with a `text` (or `blocks`) field,
 *   "up to 5 times within 30 minutes of the user's invocation" (the same constants the App uses,
 *   app/intake/slack-response-url.ts; this double tests its own enforcement of them);
 * - anything else is refused. The page gives no status or body for a refusal; this double answers
 *   404 `expired_url` / `used_url`, and 400 `invalid_payload` / `no_text` for a body it cannot read
 *   (names of its own choosing), so a refused follow-up is visible in `refused`.
 * Its clock is its own (`advance`), so a test can make a URL older than 30 minutes.
 */
export interface SlackMessage {
  url: string;
  at: number;
  body: { text?: string; response_type?: string; replace_original?: boolean; blocks?: unknown };
}

export interface SlackResponseDouble {
  newResponseUrl(): string;
  /** Messages Slack accepted, in order. */
  readonly messages: SlackMessage[];
  /** Requests Slack refused, with the reason it gave. */
  readonly refused: Array<{ url: string; status: number; error: string }>;
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startSlackResponseDouble(): Promise<SlackResponseDouble> {
  let offset = 0;
  const now = () => Date.now() + offset;
  const issued = new Map<string, { at: number; uses: number }>();
  const messages: SlackMessage[] = [];
  const refused: SlackResponseDouble["refused"] = [];

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readAll(request);
      const url = `${base}${request.url ?? ""}`;
      const refuse = (status: number, error: string) => {
        refused.push({ url, status, error });
        response.writeHead(status, { "content-type": "text/plain" }).end(error);
      };
      const entry = issued.get(request.url ?? "");
      if (!entry) return refuse(404, "no_service");
      if (request.method !== "POST") return refuse(405, "method_not_allowed");
      if (!(request.headers["content-type"] ?? "").toLowerCase().startsWith("application/json"))
        return refuse(400, "invalid_payload");
      let parsed: SlackMessage["body"];
      try {
        parsed = JSON.parse(body) as SlackMessage["body"];
      } catch {
        return refuse(400, "invalid_payload");
      }
      if (typeof parsed?.text !== "string" && !Array.isArray(parsed?.blocks)) return refuse(400, "no_text");
      if (now() - entry.at > SLACK_RESPONSE_URL_LIFETIME_MS) return refuse(404, "expired_url");
      if (entry.uses >= SLACK_RESPONSE_URL_USES) return refuse(404, "used_url");
      entry.uses += 1;
      messages.push({ url, at: now(), body: parsed });
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    newResponseUrl() {
      const path = `/commands/T0001/${Math.floor(now() / 1000)}/${randomBytes(12).toString("hex")}`;
      issued.set(path, { at: now(), uses: 0 });
      return `${base}${path}`;
    },
    messages,
    refused,
    advance(ms) {
      offset += ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readAll(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

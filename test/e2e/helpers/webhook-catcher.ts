import { createHmac, timingSafeEqual } from "node:crypto";
import type { Server } from "node:http";
import { close, listen } from "../local-github/http-server.ts";

export interface CaughtWebhook {
  event: string;
  delivery: string;
  signatureValid: boolean;
  payload: Record<string, unknown> & { action: string };
}

/** A stand-in for the App's webhook endpoint that checks signatures and keeps what it got. */
export async function catchWebhooks(secret: string): Promise<{
  url: string;
  received: CaughtWebhook[];
  close: () => Promise<void>;
}> {
  const received: CaughtWebhook[] = [];
  const { server, url }: { server: Server; url: string } = await listen(async (request, response, body) => {
    const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
    const given = Buffer.from(String(request.headers["x-hub-signature-256"] ?? ""));
    received.push({
      event: String(request.headers["x-github-event"]),
      delivery: String(request.headers["x-github-delivery"]),
      signatureValid: given.length === expected.length && timingSafeEqual(given, expected),
      payload: JSON.parse(body.toString("utf8")),
    });
    response.writeHead(200).end();
  });
  return { url: `${url}/api/github/webhooks`, received, close: () => close(server) };
}

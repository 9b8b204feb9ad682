import type { ServerResponse } from "node:http";

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response
    .writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers })
    .end(`${JSON.stringify(body)}\n`);
}

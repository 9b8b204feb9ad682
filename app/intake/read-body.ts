import type { IncomingMessage } from "node:http";

/** Sentry alerts with long stack traces stay far below this; anything larger is refused unread. */
export const MAX_INTAKE_BODY_BYTES = 1024 * 1024;

export class BodyTooLarge extends Error {}

/** The raw request bytes (signatures cover them), refused past `limit`. */
export async function readBody(request: IncomingMessage, limit = MAX_INTAKE_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) throw new BodyTooLarge(`the body is ${declared} bytes; the limit is ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(`the body is over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

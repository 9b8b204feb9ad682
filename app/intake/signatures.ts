import { createHmac, timingSafeEqual } from "node:crypto";

/** Equal-length comparison in constant time; a length mismatch is simply unequal. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Sentry's `Sentry-Hook-Signature`: the hex HMAC-SHA256 of the request body, keyed with the
 * integration's Client Secret (https://docs.sentry.io/integrations/integration-platform/webhooks/,
 * "Sentry-Hook-Signature"). The bytes as received are signed, never a re-serialised body.
 */
export function verifySentrySignature(body: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", secret).update(body).digest("hex");
  return sameText(header.trim().toLowerCase(), expected);
}

/** Slack refuses requests older than five minutes; so do we ("Verifying requests from Slack"). */
export const SLACK_REPLAY_WINDOW_S = 5 * 60;

export type SlackVerdict = { ok: true } | { ok: false; why: string };

/**
 * Slack's request signature (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature` is `v0=` + hex HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<raw body>`
 * keyed with the app's Signing Secret; a timestamp more than five minutes from now may be a replay.
 */
export function verifySlackSignature(
  body: Buffer,
  headers: { signature: string | undefined; timestamp: string | undefined },
  secret: string,
  nowMs: number,
): SlackVerdict {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp)
    return { ok: false, why: "missing X-Slack-Signature or X-Slack-Request-Timestamp" };
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, why: "X-Slack-Request-Timestamp is not a Unix time" };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_REPLAY_WINDOW_S) {
    return { ok: false, why: "the request timestamp is more than five minutes from now (a replay?)" };
  }
  const base = Buffer.concat([Buffer.from(`v0:${timestamp}:`), body]);
  const expected = `v0=${createHmac("sha256", secret).update(base).digest("hex")}`;
  return sameText(signature.trim(), expected)
    ? { ok: true }
    : { ok: false, why: "the signature does not match" };
}

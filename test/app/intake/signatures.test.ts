import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  SLACK_REPLAY_WINDOW_S,
  verifySentrySignature,
  verifySlackSignature,
} from "../../../app/intake/signatures.ts";
import { sentrySignature } from "../../helpers/sentry-double.ts";
import { slackSignature } from "../../helpers/slack-double.ts";

// The worked example on https://api.slack.com/authentication/verifying-requests-from-slack.
const DOC = {
  secret: "8f742231b10e8888abcd99yyyzzz85a5",
  timestamp: "1531420618",
  body: "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
  signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
};
const docTime = Number(DOC.timestamp) * 1000;

describe("Slack request signatures", () => {
  it("the Slack double signs Slack's worked example to Slack's published signature", () => {
    expect(slackSignature(DOC.secret, DOC.timestamp, DOC.body)).toBe(DOC.signature);
  });

  it("accepts Slack's worked example at its own time", () => {
    const verdict = verifySlackSignature(
      Buffer.from(DOC.body),
      { signature: DOC.signature, timestamp: DOC.timestamp },
      DOC.secret,
      docTime,
    );
    expect(verdict).toEqual({ ok: true });
  });

  it("refuses a body changed by one byte, the wrong secret, and a missing header", () => {
    const headers = { signature: DOC.signature, timestamp: DOC.timestamp };
    expect(verifySlackSignature(Buffer.from(`${DOC.body}x`), headers, DOC.secret, docTime).ok).toBe(false);
    expect(verifySlackSignature(Buffer.from(DOC.body), headers, "another-secret", docTime).ok).toBe(false);
    expect(
      verifySlackSignature(
        Buffer.from(DOC.body),
        { signature: undefined, timestamp: DOC.timestamp },
        DOC.secret,
        docTime,
      ),
    ).toMatchObject({ ok: false, why: expect.stringMatching(/missing/) });
  });

  it("refuses a timestamp more than five minutes away in either direction (replay), at the edge too", () => {
    const headers = { signature: DOC.signature, timestamp: DOC.timestamp };
    const body = Buffer.from(DOC.body);
    const edge = SLACK_REPLAY_WINDOW_S * 1000;
    expect(verifySlackSignature(body, headers, DOC.secret, docTime + edge).ok).toBe(true);
    expect(verifySlackSignature(body, headers, DOC.secret, docTime + edge + 1000)).toMatchObject({
      ok: false,
      why: expect.stringMatching(/five minutes/),
    });
    expect(verifySlackSignature(body, headers, DOC.secret, docTime - edge - 1000).ok).toBe(false);
  });

  it("a signature made for another timestamp does not verify with this one", () => {
    const later = String(Number(DOC.timestamp) + 10);
    expect(
      verifySlackSignature(
        Buffer.from(DOC.body),
        { signature: DOC.signature, timestamp: later },
        DOC.secret,
        docTime,
      ).ok,
    ).toBe(false);
  });
});

describe("Sentry-Hook-Signature", () => {
  const secret = "sentry-client-secret";
  const body = Buffer.from('{"action":"triggered","data":{}}');
  const independent = createHmac("sha256", secret).update(body).digest("hex");

  it("the Sentry double signs as the docs say: hex HMAC-SHA256 of the body with the Client Secret", () => {
    expect(sentrySignature(body.toString(), secret)).toBe(independent);
  });

  it("accepts the right signature and refuses any other", () => {
    expect(verifySentrySignature(body, independent, secret)).toBe(true);
    expect(verifySentrySignature(body, undefined, secret)).toBe(false);
    expect(verifySentrySignature(body, "", secret)).toBe(false);
    expect(verifySentrySignature(body, independent.slice(0, -1), secret)).toBe(false);
    expect(verifySentrySignature(body, independent, "wrong-secret")).toBe(false);
    expect(verifySentrySignature(Buffer.from(`${body} `), independent, secret)).toBe(false);
  });

  it("covers the bytes sent, not a re-serialisation of the same JSON", () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(verifySentrySignature(pretty, independent, secret)).toBe(false);
  });
});

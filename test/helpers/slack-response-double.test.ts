import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackResponseDouble, startSlackResponseDouble } from "./slack-response-double.ts";

/** The double's own rules, from Slack's "Implementing slash commands" (see slack-response-double.ts). */
describe("Slack response_url double", () => {
  let slack: SlackResponseDouble;
  beforeAll(async () => {
    slack = await startSlackResponseDouble();
  });
  afterAll(() => slack?.close());

  const post = (url: string, body: unknown, type = "application/json") =>
    fetch(url, { method: "POST", headers: { "content-type": type }, body: JSON.stringify(body) });

  it("accepts five JSON messages per URL and refuses the sixth (used_url)", async () => {
    const url = slack.newResponseUrl();
    for (let i = 1; i <= 5; i++) expect((await post(url, { text: `message ${i}` })).status).toBe(200);
    const sixth = await post(url, { text: "message 6" });
    expect(sixth.status).toBe(404);
    expect(await sixth.text()).toBe("used_url");
    expect(slack.messages.filter((m) => m.url === url).map((m) => m.body.text)).toEqual([
      "message 1",
      "message 2",
      "message 3",
      "message 4",
      "message 5",
    ]);
  });

  it("refuses a URL older than 30 minutes (expired_url), and accepts it at 29", async () => {
    const url = slack.newResponseUrl();
    const late = slack.newResponseUrl();
    slack.advance(29 * 60 * 1000);
    expect((await post(url, { text: "in time" })).status).toBe(200);
    slack.advance(2 * 60 * 1000);
    const expired = await post(late, { text: "too late" });
    expect(expired.status).toBe(404);
    expect(await expired.text()).toBe("expired_url");
  });

  it("refuses a body that is not JSON with text, and a URL it never issued", async () => {
    const url = slack.newResponseUrl();
    expect((await post(url, { text: "form" }, "application/x-www-form-urlencoded")).status).toBe(400);
    expect((await post(url, { attachments: [] })).status).toBe(400);
    expect((await post(`${url}x`, { text: "forged" })).status).toBe(404);
    expect(slack.messages.some((m) => m.url === url)).toBe(false);
  });
});

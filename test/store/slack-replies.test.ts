import { describe, expect, it } from "vitest";
import { pruneHistory } from "../../store/prune.ts";
import { claimSlackReply, rememberSlackReply } from "../../store/slack-replies.ts";
import { storeBackends, storeForSuite } from "../helpers/store-backends.ts";

const limits = (now: Date) => ({ now, lifetimeMs: 30 * 60 * 1000, uses: 5 });

describe.each(storeBackends)("Slack response_urls on $name", (backend) => {
  const store = storeForSuite(backend);
  const remember = (repository: string, issueNumber: number, responseUrl: string, receivedAt: Date) =>
    rememberSlackReply(store.db, { repository, issueNumber, responseUrl, receivedAt });

  it("gives out five uses within the lifetime, then says why not; the repository matches in any case", async () => {
    const at = new Date("2026-03-01T10:00:00Z");
    await remember("Acme/Billing", 7, "https://hooks.slack.com/commands/T1/1/a", at);
    const soon = new Date(at.getTime() + 60_000);
    const claims = await Promise.all(
      Array.from({ length: 7 }, () => claimSlackReply(store.db, "acme/billing", 7, limits(soon))),
    );
    expect(claims.filter((c) => c.ok)).toHaveLength(5);
    expect(claims.filter((c) => !c.ok)).toEqual([
      { ok: false, why: "used up" },
      { ok: false, why: "used up" },
    ]);
    expect(await claimSlackReply(store.db, "acme/billing", 8, limits(soon))).toEqual({
      ok: false,
      why: "none",
    });
  });

  it("refuses a response_url older than the lifetime", async () => {
    const at = new Date("2026-03-01T10:00:00Z");
    await remember("acme/billing", 9, "https://hooks.slack.com/commands/T1/2/b", at);
    const late = new Date(at.getTime() + 30 * 60 * 1000 + 1);
    expect(await claimSlackReply(store.db, "acme/billing", 9, limits(late))).toEqual({
      ok: false,
      why: "expired",
    });
    const inTime = new Date(at.getTime() + 29 * 60 * 1000);
    expect(await claimSlackReply(store.db, "acme/billing", 9, limits(inTime))).toMatchObject({
      ok: true,
      responseUrl: "https://hooks.slack.com/commands/T1/2/b",
      use: 1,
    });
  });

  it("are pruned with the run history once a day old (Slack stops accepting them after 30 minutes)", async () => {
    const at = new Date("2026-04-01T10:00:00Z");
    await remember("acme/old", 1, "https://hooks.slack.com/commands/T1/3/c", at);
    await pruneHistory(store.db, 3650, new Date(at.getTime() + 3_600_000));
    const left = await store.db
      .selectFrom("slack_replies")
      .select("id")
      .where("repository", "=", "acme/old")
      .execute();
    expect(left).toHaveLength(1);
    const dayLater = await pruneHistory(store.db, 3650, new Date(at.getTime() + 86_400_001));
    expect(dayLater.slackReplies).toBeGreaterThanOrEqual(1);
    expect(await claimSlackReply(store.db, "acme/old", 1, limits(at))).toEqual({ ok: false, why: "none" });
  });
});

/** Slack `response_url`s per issue the slash command opened (migration 0006), for the App's follow-ups. */
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

export interface SlackReplyInput {
  repository: string;
  issueNumber: number;
  responseUrl: string;
  receivedAt: Date;
}

export async function rememberSlackReply(db: Kysely<Database>, input: SlackReplyInput): Promise<void> {
  await db
    .insertInto("slack_replies")
    .values({
      repository: input.repository,
      issue_number: input.issueNumber,
      response_url: input.responseUrl,
      received_at: input.receivedAt,
    })
    .execute();
}

export type SlackReplyClaim =
  | { ok: true; responseUrl: string; use: number }
  | { ok: false; why: "none" | "expired" | "used up" };

/**
 * Claims one use of the issue's `response_url` in one statement (two App processes cannot both
 * take the last one): only while it is younger than `lifetimeMs` and used fewer than `uses` times.
 */
export async function claimSlackReply(
  db: Kysely<Database>,
  repository: string,
  issueNumber: number,
  limits: { now: Date; lifetimeMs: number; uses: number },
): Promise<SlackReplyClaim> {
  const bornAfter = new Date(limits.now.getTime() - limits.lifetimeMs);
  const claimed = await db
    .updateTable("slack_replies")
    .set((eb) => ({ uses: eb("uses", "+", 1) }))
    .where((eb) => eb(eb.fn("lower", ["repository"]), "=", repository.toLowerCase()))
    .where("issue_number", "=", issueNumber)
    .where("uses", "<", limits.uses)
    .where("received_at", ">", bornAfter)
    .returning(["response_url", "uses"])
    .executeTakeFirst();
  if (claimed) return { ok: true, responseUrl: claimed.response_url, use: claimed.uses };
  const row = await db
    .selectFrom("slack_replies")
    .select(["uses", "received_at"])
    .where((eb) => eb(eb.fn("lower", ["repository"]), "=", repository.toLowerCase()))
    .where("issue_number", "=", issueNumber)
    .executeTakeFirst();
  if (!row) return { ok: false, why: "none" };
  return { ok: false, why: row.uses >= limits.uses ? "used up" : "expired" };
}

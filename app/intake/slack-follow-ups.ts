import type { Kysely } from "kysely";
import type { Database } from "../../store/schema.ts";
import { claimSlackReply, rememberSlackReply } from "../../store/slack-replies.ts";
import type { RepoRef } from "../deps/types.ts";
import { SLACK_RESPONSE_URL_LIFETIME_MS, SLACK_RESPONSE_URL_USES } from "./slack-response-url.ts";

export type FollowUpResult = "sent" | "none" | "expired" | "used up" | "failed";

interface Log {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/**
 * The Slack side of a task a slash command started: its `response_url` is kept in the run history
 * when the issue opens, and the App posts to it again when the task ends (the PR link, or what
 * happened). Slack's limits (slack-response-url.ts) are checked before posting; a follow-up that
 * cannot be sent is logged and never touches the task.
 */
export class SlackFollowUps {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: Log,
    private readonly timeoutMs = 10_000,
  ) {}

  async remember(repo: RepoRef, issueNumber: number, responseUrl: string, at: Date): Promise<void> {
    try {
      await rememberSlackReply(this.db, {
        repository: `${repo.owner}/${repo.name}`,
        issueNumber,
        responseUrl,
        receivedAt: at,
      });
    } catch (error) {
      this.log.warn({ err: error }, "could not keep Slack's response_url; no follow-up will reach Slack");
    }
  }

  async send(repo: RepoRef, issueNumber: number, text: string, now: Date): Promise<FollowUpResult> {
    const where = { repository: `${repo.owner}/${repo.name}`, issue: issueNumber };
    let claim: Awaited<ReturnType<typeof claimSlackReply>>;
    try {
      claim = await claimSlackReply(this.db, where.repository, issueNumber, {
        now,
        lifetimeMs: SLACK_RESPONSE_URL_LIFETIME_MS,
        uses: SLACK_RESPONSE_URL_USES,
      });
    } catch (error) {
      this.log.warn({ err: error, ...where }, "could not read Slack's response_url from the run history");
      return "failed";
    }
    if (!claim.ok) {
      if (claim.why !== "none")
        this.log.info(
          where,
          `Slack follow-up not sent: the command's response_url is ${claim.why} (Slack accepts ${SLACK_RESPONSE_URL_USES} messages within ${SLACK_RESPONSE_URL_LIFETIME_MS / 60_000} minutes)`,
        );
      return claim.why;
    }
    try {
      const response = await fetch(claim.responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", replace_original: false, text }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (response.ok) return "sent";
      this.log.warn(
        { ...where, status: response.status, body: (await response.text()).slice(0, 200) },
        "Slack refused the follow-up",
      );
    } catch (error) {
      this.log.warn({ err: error, ...where }, "Slack follow-up failed");
    }
    return "failed";
  }
}

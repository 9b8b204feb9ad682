import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../store/schema.ts";
import { readUser, UserTokenRejected } from "./github-user.ts";
import { type DashboardKeys, randomId } from "./secrets.ts";

/** The cookie that carries the signed session id. */
export const SESSION_COOKIE = "inhouse_session";
/** GitHub's user access tokens last 8 hours; a session never outlives its token. */
export const SESSION_HOURS = 8;
/** How long a list of readable repositories is trusted before GitHub is asked again. */
export const REPOSITORIES_TTL_MS = 5 * 60_000;

export interface Session {
  id: string;
  login: string;
  repositories: string[];
}

/** The database keeps a hash of the session id: a copy of the table does not open sessions. */
export function sessionRowId(id: string): string {
  return createHash("sha256").update(id).digest("base64url");
}

export class SessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly keys: DashboardKeys,
    private readonly api: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(token: string): Promise<Session> {
    const user = await readUser(this.api, token);
    const id = randomId();
    const now = this.now();
    await this.db
      .insertInto("sessions")
      .values({
        id: sessionRowId(id),
        login: user.login,
        token_sealed: this.keys.seal(token),
        repositories: JSON.stringify(user.repositories),
        repos_checked_at: now,
        created_at: now,
        expires_at: new Date(now.getTime() + SESSION_HOURS * 3_600_000),
      })
      .execute();
    return { id, ...user };
  }

  /**
   * The session of a cookie's id, with the repositories re-read from GitHub when the list is older
   * than a few minutes (access removed on GitHub disappears here soon after). Undefined when there
   * is none, it expired, or GitHub no longer accepts its token.
   */
  async find(id: string): Promise<Session | undefined> {
    const row = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("id", "=", sessionRowId(id))
      .executeTakeFirst();
    const now = this.now();
    if (!row || row.expires_at <= now) return undefined;
    if (now.getTime() - row.repos_checked_at.getTime() < REPOSITORIES_TTL_MS) {
      return { id, login: row.login, repositories: row.repositories };
    }
    const token = this.keys.open(row.token_sealed);
    try {
      if (!token) throw new UserTokenRejected("sealed with another key");
      const user = await readUser(this.api, token);
      await this.db
        .updateTable("sessions")
        .set({ repositories: JSON.stringify(user.repositories), repos_checked_at: now })
        .where("id", "=", row.id)
        .execute();
      return { id, login: user.login, repositories: user.repositories };
    } catch (error) {
      if (!(error instanceof UserTokenRejected)) throw error;
      await this.delete(id);
      return undefined;
    }
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("id", "=", sessionRowId(id)).execute();
  }
}

import type { Task } from "../../core/task.ts";
import type { GitHub } from "../github/client.ts";
import type { BotAccount } from "../github/task-authenticity.ts";
import type { CommitIdentity } from "./commit.ts";

/**
 * GitHub links a commit to an account through the account's noreply address,
 * `<id>+<login>@users.noreply.github.com` ("Setting your commit email address",
 * https://docs.github.com/account-and-profile/setting-up-and-managing-your-personal-account-on-githubcom/managing-email-preferences/setting-your-commit-email-address);
 * for an App that account is its bot user `<slug>[bot]`, whose id is not the App's id
 * (GitHub staff in https://github.com/orgs/community/discussions/24664#discussioncomment-3244950).
 * `inhouse[bot]@users.noreply.github.com` links to no one.
 */
export const noreplyEmail = (user: { id: number; login: string }): string =>
  `${user.id}+${user.login}@users.noreply.github.com`;

const FALLBACK: CommitIdentity = { name: "inhouse[bot]", email: "inhouse[bot]@users.noreply.github.com" };

/**
 * The bot the commits belong to: `author-name` when set, else the author of the App's status
 * comment (`known` when the run has already read it).
 */
async function botUser(
  gh: GitHub,
  task: Task,
  name?: string,
  known?: BotAccount,
): Promise<BotAccount | undefined> {
  if (known && (!name || name === known.login)) return known;
  if (name) {
    const { data } = await gh.rest.users.getByUsername({ username: name });
    return { id: data.id, login: data.login };
  }
  if (task.statusCommentId === undefined) return undefined;
  const { data } = await gh.rest.issues.getComment({
    owner: task.repo.owner,
    repo: task.repo.name,
    comment_id: task.statusCommentId,
  });
  return data.user?.type === "Bot" ? { id: data.user.id, login: data.user.login } : undefined;
}

/**
 * The commit author: the inputs when both are given; otherwise the App's bot and its noreply
 * address, so the agent's commits show as the App's on GitHub. A lookup that fails is a warning
 * naming the fix, never the reason a task fails.
 */
export async function commitAuthor(
  gh: GitHub,
  task: Task,
  given: { name?: string; email?: string },
  warn: (message: string) => void,
  known?: BotAccount,
): Promise<CommitIdentity> {
  if (given.name && given.email) return { name: given.name, email: given.email };
  const bot = await botUser(gh, task, given.name, known).catch(() => undefined);
  if (bot) return { name: given.name ?? bot.login, email: given.email ?? noreplyEmail(bot) };
  warn(
    `could not find the App's bot account, so the commits are authored as ${FALLBACK.name} and not linked to it; set the author-name input to <app-slug>[bot]`,
  );
  return { name: given.name ?? FALLBACK.name, email: given.email ?? FALLBACK.email };
}

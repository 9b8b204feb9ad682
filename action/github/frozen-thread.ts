import type { RepoConfig } from "../../core/config.ts";
import { meetsMinimum, type Permission } from "../../core/permissions.ts";
import type { Task } from "../../core/task.ts";
import type { GitHub } from "./client.ts";
import { permissionOf } from "./permission.ts";

export interface ThreadComment {
  id: number;
  author: string;
  createdAt: string;
  body: string;
}

export interface FrozenThread {
  title: string;
  body: string;
  author: string;
  state: "open" | "closed";
  isPullRequest: boolean;
  comments: ThreadComment[];
  /** Why comments were left out, for the audit log: `{ id, why }`. */
  dropped: { id: number; why: string }[];
}

/** Later than the trigger, by instant (both sides may carry different offsets). */
function after(time: string | undefined | null, trigger: number): boolean {
  return time !== undefined && time !== null && Date.parse(time) > trigger;
}

/**
 * The issue or PR as it stood when the command was given. Comments created or edited after the
 * trigger, and comments by people below the configured minimum, never reach the model: nobody can
 * steer a running task by editing text after the fact or by commenting without access.
 */
export async function freezeThread(
  gh: GitHub,
  task: Task,
  config: Pick<RepoConfig, "permissions">,
): Promise<FrozenThread> {
  const owner = task.repo.owner;
  const repo = task.repo.name;
  const issue_number = task.number!;
  const trigger = Date.parse(task.trigger.at);
  const { data: issue } = await gh.rest.issues.get({ owner, repo, issue_number });
  const raw = await gh.paginate(gh.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });

  const levels = new Map<string, Permission | "bot">([[task.trigger.actor, "write"]]);
  const levelOf = async (login: string, isBot: boolean): Promise<Permission | "bot"> => {
    if (isBot) return "bot";
    if (!levels.has(login)) levels.set(login, await permissionOf(gh, owner, repo, login));
    return levels.get(login)!;
  };

  const comments: ThreadComment[] = [];
  const dropped: FrozenThread["dropped"] = [];
  for (const comment of raw) {
    const login = comment.user?.login ?? "ghost";
    if (after(comment.created_at, trigger))
      dropped.push({ id: comment.id, why: "created after the trigger" });
    else if (after(comment.updated_at, trigger))
      dropped.push({ id: comment.id, why: "edited after the trigger" });
    else {
      const level = await levelOf(login, comment.user?.type === "Bot");
      if (level === "bot" && !config.permissions.allowedBots.includes(login)) {
        dropped.push({ id: comment.id, why: "written by a bot not in permissions.allowedBots" });
      } else if (level !== "bot" && !meetsMinimum(level, config.permissions.minimum)) {
        dropped.push({ id: comment.id, why: `author has ${level} permission` });
      } else {
        comments.push({
          id: comment.id,
          author: login,
          createdAt: comment.created_at,
          body: comment.body ?? "",
        });
      }
    }
  }
  return {
    title: issue.title,
    body: issue.body ?? "",
    author: issue.user?.login ?? "ghost",
    state: issue.state === "closed" ? "closed" : "open",
    isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
    comments,
    dropped,
  };
}

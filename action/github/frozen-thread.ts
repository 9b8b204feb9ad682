import { isAllowedBot, isBotActor } from "../../core/actor-gate.ts";
import type { RepoConfig } from "../../core/config.ts";
import type { Permission } from "../../core/permissions.ts";
import type { Task } from "../../core/task.ts";
import { selectTrustedComments } from "../../core/trusted-comments.ts";
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

  const candidates = raw.map((c) => ({
    id: c.id,
    author: c.user?.login ?? "ghost",
    isBot: isBotActor({ login: c.user?.login ?? "ghost", type: c.user?.type }),
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    body: c.body ?? "",
  }));
  // Look up only authors whose comments survive the time rule; the trigger's actor was just re-checked.
  const levels = new Map<string, Permission>([[task.trigger.actor, config.permissions.minimum]]);
  for (const c of candidates) {
    if (levels.has(c.author) || after(c.createdAt, trigger) || after(c.updatedAt, trigger)) continue;
    levels.set(
      c.author,
      c.isBot
        ? isAllowedBot(c.author, config.permissions.allowedBots)
          ? config.permissions.minimum
          : "none"
        : await permissionOf(gh, owner, repo, c.author),
    );
  }
  const vetted = selectTrustedComments(candidates, {
    frozenAt: task.trigger.at,
    minimum: config.permissions.minimum,
    permissionOf: (author) => levels.get(author) ?? "none",
  });
  const comments: ThreadComment[] = vetted.trusted.map((c) => ({
    id: c.id,
    author: c.author,
    createdAt: c.createdAt,
    body: c.body,
  }));
  const dropped = vetted.dropped;
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

import type { RepoConfig } from "../../core/config.ts";
import { effectivePermission, meetsMinimum, type Permission } from "../../core/permissions.ts";
import type { Actor } from "../payloads.ts";
import type { GitHub, RepoRef } from "../types.ts";
import { httpStatus } from "./http-status.ts";
import { isAllowedBot, isBot } from "./is-bot.ts";

export type GateResult =
  | { allowed: true; permission: Permission | "allowed-bot" }
  | { allowed: false; reason: "bot" | "permission"; message: string };

/**
 * The security rule for who may start work: the collaborator-permission API (never
 * `author_association`), compared with the configured minimum; bots only when named.
 */
export async function checkActor(
  octokit: GitHub,
  repo: RepoRef,
  actor: Actor,
  config: RepoConfig,
  minimum: Permission,
  what: string,
): Promise<GateResult> {
  if (isBot(actor)) {
    if (isAllowedBot(actor.login, config.permissions.allowedBots))
      return { allowed: true, permission: "allowed-bot" };
    return {
      allowed: false,
      reason: "bot",
      message: `Bots cannot ${what} here. To allow \`${actor.login}\`, add it to \`permissions.allowedBots\` in \`.github/agent.yml\`.`,
    };
  }
  const permission = await collaboratorPermission(octokit, repo, actor.login);
  if (meetsMinimum(permission, minimum)) return { allowed: true, permission };
  const has = permission === "none" ? "no access to this repository" : `\`${permission}\` permission`;
  return {
    allowed: false,
    reason: "permission",
    message: `@${actor.login} has ${has}; to ${what} you need \`${minimum}\` or higher. A maintainer can run the command instead.`,
  };
}

/** 404 means not a collaborator (or a deleted account): no permission. */
async function collaboratorPermission(octokit: GitHub, repo: RepoRef, login: string): Promise<Permission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: repo.owner,
      repo: repo.name,
      username: login,
    });
    return effectivePermission(data);
  } catch (error) {
    if (httpStatus(error) === 404) return "none";
    throw error;
  }
}

import { gateActor } from "../../core/actor-gate.ts";
import type { RepoConfig } from "../../core/config.ts";
import { httpStatus } from "../../core/github/http-status.ts";
import { effectivePermission, type Permission } from "../../core/permissions.ts";
import type { Actor } from "../deps/payloads.ts";
import type { GitHub, RepoRef } from "../deps/types.ts";

export type GateResult =
  | { allowed: true; permission: Permission | "allowed-bot" }
  | { allowed: false; reason: "bot" | "permission"; message: string };

/**
 * The security rule for who may start work (`core/actor-gate.ts`, shared with the action): the
 * collaborator-permission API (never `author_association`), compared with the configured minimum;
 * bots only when named.
 */
export async function checkActor(
  octokit: GitHub,
  repo: RepoRef,
  actor: Actor,
  config: RepoConfig,
  minimum: Permission,
  what: string,
): Promise<GateResult> {
  const verdict = await gateActor(actor, { minimum, allowedBots: config.permissions.allowedBots }, (login) =>
    collaboratorPermission(octokit, repo, login),
  );
  if (verdict.allowed) return verdict;
  if (verdict.reason === "bot") {
    return {
      allowed: false,
      reason: "bot",
      message: `Bots cannot ${what} here. To allow \`${actor.login}\`, add it to \`permissions.allowedBots\` in \`.github/agent.yml\`.`,
    };
  }
  const has =
    verdict.permission === "none" ? "no access to this repository" : `\`${verdict.permission}\` permission`;
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

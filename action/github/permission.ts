import { gateActor } from "../../core/actor-gate.ts";
import type { RepoConfig } from "../../core/config.ts";
import { httpStatus } from "../../core/github/http-status.ts";
import { effectivePermission, type Permission } from "../../core/permissions.ts";
import type { GitHub } from "./client.ts";

export type PermissionCheck =
  | { ok: true; permission: Permission | "allowed-bot" }
  | { ok: false; reason: string };

export async function permissionOf(
  gh: GitHub,
  owner: string,
  repo: string,
  username: string,
): Promise<Permission> {
  try {
    const { data } = await gh.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    return effectivePermission(data as { permission?: string; role_name?: string });
  } catch (error) {
    if (httpStatus(error) === 404) return "none";
    throw error;
  }
}

/**
 * Invariant 1, second check, with the App's own rule (`core/actor-gate.ts`): the App checked the
 * actor at trigger time; minutes may have passed (a queued runner), so the action asks again before
 * touching code.
 */
export async function recheckActor(
  gh: GitHub,
  repo: { owner: string; name: string },
  actor: string,
  config: Pick<RepoConfig, "permissions">,
): Promise<PermissionCheck> {
  const verdict = await gateActor({ login: actor }, config.permissions, (login) =>
    permissionOf(gh, repo.owner, repo.name, login),
  );
  if (verdict.allowed) return { ok: true, permission: verdict.permission };
  if (verdict.reason === "bot") {
    return {
      ok: false,
      reason: `${actor} is a bot that is not listed in permissions.allowedBots in .github/agent.yml`,
    };
  }
  const { permission, minimum } = verdict;
  return {
    ok: false,
    reason: `@${actor} now has ${permission} permission on ${repo.owner}/${repo.name}, below the required ${minimum} (it changed after the request was made). Ask someone with ${minimum} access to run the command.`,
  };
}

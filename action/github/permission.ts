import type { RepoConfig } from "../../core/config.ts";
import { effectivePermission, meetsMinimum, type Permission } from "../../core/permissions.ts";
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
    if ((error as { status?: number }).status === 404) return "none";
    throw error;
  }
}

/**
 * Invariant 1, second check: the app checked the actor at trigger time; minutes may have passed
 * (a queued runner), so the action asks again before touching code.
 */
export async function recheckActor(
  gh: GitHub,
  repo: { owner: string; name: string },
  actor: string,
  config: Pick<RepoConfig, "permissions">,
): Promise<PermissionCheck> {
  if (actor.endsWith("[bot]")) {
    return config.permissions.allowedBots.includes(actor)
      ? { ok: true, permission: "allowed-bot" }
      : {
          ok: false,
          reason: `${actor} is a bot that is not listed in permissions.allowedBots in .github/agent.yml`,
        };
  }
  const permission = await permissionOf(gh, repo.owner, repo.name, actor);
  const minimum = config.permissions.minimum;
  return meetsMinimum(permission, minimum)
    ? { ok: true, permission }
    : {
        ok: false,
        reason: `@${actor} now has ${permission} permission on ${repo.owner}/${repo.name}, below the required ${minimum} (it changed after the request was made). Ask someone with ${minimum} access to run the command.`,
      };
}

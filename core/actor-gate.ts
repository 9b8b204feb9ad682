import { meetsMinimum, type Permission } from "./permissions.ts";

/**
 * Who may start work, decided once for the App (webhook actors) and the action (the task's actor,
 * re-checked on the runner): one rule, so the two can never disagree about the same person or bot.
 */
export interface GateActor {
  login: string;
  /** `Bot` for Apps and other machine accounts, as webhooks and the REST API give it; unknown on the runner. */
  type?: string | null;
}

export interface GateRules {
  minimum: Permission;
  /** `permissions.allowedBots` from `.github/agent.yml`: names with or without `[bot]`, any case. */
  allowedBots: readonly string[];
}

export type ActorVerdict =
  | { allowed: true; permission: Permission | "allowed-bot" }
  | { allowed: false; reason: "bot"; login: string }
  | { allowed: false; reason: "permission"; login: string; permission: Permission; minimum: Permission };

/**
 * GitHub Apps act as `<slug>[bot]` with `type: "Bot"` (webhook `sender`, comment `user`); the runner
 * only sees the login (`GITHUB_TRIGGERING_ACTOR`, the task's actor), so the suffix alone counts too.
 */
export function isBotActor(actor: GateActor): boolean {
  return actor.type === "Bot" || /\[bot\]$/i.test(actor.login);
}

/** `Renovate[bot]`, `renovate[bot]` and `renovate` all name the same bot. */
export function bareBotName(login: string): string {
  return login.replace(/\[bot\]$/i, "").toLowerCase();
}

export function isAllowedBot(login: string, allowedBots: readonly string[]): boolean {
  const bare = bareBotName(login);
  return allowedBots.some((name) => bareBotName(name) === bare);
}

/**
 * Bots pass only when listed (their repository permission is never asked: an App's bot is not a
 * collaborator); people pass at or above the minimum, as the collaborator-permission API reports it.
 */
export async function gateActor(
  actor: GateActor,
  rules: GateRules,
  permissionOf: (login: string) => Promise<Permission>,
): Promise<ActorVerdict> {
  if (isBotActor(actor)) {
    return isAllowedBot(actor.login, rules.allowedBots)
      ? { allowed: true, permission: "allowed-bot" }
      : { allowed: false, reason: "bot", login: actor.login };
  }
  const permission = await permissionOf(actor.login);
  return meetsMinimum(permission, rules.minimum)
    ? { allowed: true, permission }
    : { allowed: false, reason: "permission", login: actor.login, permission, minimum: rules.minimum };
}

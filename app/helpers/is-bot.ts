import type { Actor } from "../payloads.ts";

/** GitHub marks App and machine accounts with type Bot; their logins end in `[bot]`. */
export function isBot(actor: Actor): boolean {
  return actor.type === "Bot" || actor.login.endsWith("[bot]");
}

/** `allowedBots` may name a bot with or without its `[bot]` suffix. */
export function isAllowedBot(login: string, allowedBots: readonly string[]): boolean {
  const bare = login.replace(/\[bot\]$/, "").toLowerCase();
  return allowedBots.some((name) => name.replace(/\[bot\]$/, "").toLowerCase() === bare);
}

import { createHash, timingSafeEqual } from "node:crypto";
import type { IntakeSettings } from "./settings.ts";

export type ApiCaller = NonNullable<IntakeSettings["api"]>["callers"][number];

/** The caller whose token this is: its SHA-256 compared in constant time with each configured one. */
export function callerForToken(callers: readonly ApiCaller[], token: string): ApiCaller | undefined {
  const digest = createHash("sha256").update(token).digest();
  let found: ApiCaller | undefined;
  for (const caller of callers) {
    if (timingSafeEqual(digest, Buffer.from(caller.tokenSha256, "hex"))) found ??= caller;
  }
  return found;
}

/** `acme/web` or `acme/*`; GitHub names compare case-insensitively. */
export function callerMayUse(caller: ApiCaller, repo: { owner: string; name: string }): boolean {
  const owner = repo.owner.toLowerCase();
  const full = `${owner}/${repo.name.toLowerCase()}`;
  return caller.repos.some((scope) => {
    const lower = scope.toLowerCase();
    return lower === full || lower === `${owner}/*`;
  });
}

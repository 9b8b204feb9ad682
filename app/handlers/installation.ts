import type { Installation } from "../deps/payloads.ts";
import type { Deps, Outcome } from "../deps/types.ts";

/** Installation changes are only logged: the App keeps no database, GitHub is the record. */
export async function handleInstallation(deps: Deps, payload: Installation): Promise<Outcome> {
  const names = (list?: { full_name: string }[]) => list?.map((r) => r.full_name);
  deps.log.info(
    {
      action: payload.action,
      installation: payload.installation.id,
      account: payload.installation.account?.login,
      repositories: names(payload.repositories),
      added: names(payload.repositories_added),
      removed: names(payload.repositories_removed),
    },
    `installation ${payload.action}`,
  );
  return "logged";
}

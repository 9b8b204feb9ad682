import type { components } from "@octokit/openapi-types";
import type { PermissionSet } from "../app-manifest.ts";
import type { UserRecord } from "../state.ts";
import type { Urls } from "./urls.ts";
import { userShape } from "./user.ts";

export type Installation = components["schemas"]["installation"];

export interface InstallationRecord {
  id: number;
  appId: number;
  appSlug: string;
  account: UserRecord;
  createdAt: string;
  /** From the App's manifest (`app.yml`), as the account accepted them when installing. */
  permissions: PermissionSet;
  events: string[];
}

/** Unannotated so the account keeps its narrow user type, which some routes require. */
export function installationShape(installation: InstallationRecord, urls: Urls) {
  return {
    id: installation.id,
    // Some routes type the account as a user and an enterprise at once, so it carries both sets of fields.
    account: {
      ...userShape(installation.account, urls),
      name: installation.account.login,
      slug: installation.account.login,
      description: null,
      website_url: null,
      created_at: installation.createdAt,
      updated_at: installation.createdAt,
    },
    repository_selection: "all",
    access_tokens_url: `${urls.api}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.html}/settings/installations/${installation.id}`,
    app_id: installation.appId,
    target_id: installation.account.id,
    target_type: installation.account.type === "Organization" ? "Organization" : "User",
    permissions: installation.permissions as Installation["permissions"],
    events: installation.events,
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    single_file_name: null,
    app_slug: installation.appSlug,
    suspended_by: null,
    suspended_at: null,
  } satisfies Installation;
}

export type Integration = NonNullable<components["schemas"]["nullable-integration"]>;

/** The App as GitHub shows it in `performed_via_github_app` of what its installation tokens create. */
export function integrationShape(installation: InstallationRecord, urls: Urls): Integration {
  return {
    id: installation.appId,
    slug: installation.appSlug,
    node_id: `A_${installation.appId}`,
    client_id: `Iv1.${installation.appId}`,
    owner: userShape(installation.account, urls),
    name: installation.appSlug,
    description: null,
    external_url: urls.html,
    html_url: `${urls.html}/apps/${installation.appSlug}`,
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    permissions: installation.permissions as Integration["permissions"],
    events: installation.events,
  };
}

import type { components } from "@octokit/openapi-types";
import type { UserRecord } from "../state.ts";
import type { Urls } from "./urls.ts";

/** Ids are plain numbers here: some of GitHub's schemas allow bigint, others do not. */
export type SimpleUser = components["schemas"]["simple-user"] & { id: number };

export function userShape(user: UserRecord, urls: Urls): SimpleUser {
  const url = `${urls.api}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${user.id}`,
    avatar_url: `${urls.html}/avatars/${user.id}`,
    gravatar_id: "",
    url,
    html_url: `${urls.html}/${user.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    site_admin: false,
    user_view_type: "public",
  };
}

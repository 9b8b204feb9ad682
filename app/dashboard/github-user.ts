import { Octokit } from "@octokit/rest";
import { httpStatus } from "../../core/github/http-status.ts";

export interface GitHubUrls {
  /** REST base, e.g. https://api.github.com or https://ghe.example/api/v3. */
  api: string;
  /** Web base, e.g. https://github.com: OAuth pages and links to threads. */
  web: string;
}

/** The API and web bases for github.com or a GitHub Enterprise Server host (GHE_HOST). */
export function githubUrls(gheHost?: string, protocol = "https"): GitHubUrls {
  if (!gheHost) return { api: "https://api.github.com", web: "https://github.com" };
  return { api: `${protocol}://${gheHost}/api/v3`, web: `${protocol}://${gheHost}` };
}

export class UserTokenRejected extends Error {}

export function userOctokit(api: string, token?: string): Octokit {
  return new Octokit({ baseUrl: api, ...(token ? { auth: token } : {}), log: quiet });
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Who the token belongs to and which repositories they may read where this App is installed:
 * GitHub answers `GET /user/installations/{id}/repositories` with the repositories both the user
 * and the App can access, so no permission rule is re-implemented here.
 * https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-user-access-token
 */
export async function readUser(
  api: string,
  token: string,
): Promise<{ login: string; repositories: string[] }> {
  const octokit = userOctokit(api, token);
  try {
    const { data: user } = await octokit.rest.users.getAuthenticated();
    const installations = await octokit.paginate(octokit.rest.apps.listInstallationsForAuthenticatedUser, {
      per_page: 100,
    });
    const repositories = new Set<string>();
    for (const installation of installations) {
      const repos = await octokit.paginate(octokit.rest.apps.listInstallationReposForAuthenticatedUser, {
        installation_id: installation.id,
        per_page: 100,
      });
      for (const repo of repos) repositories.add(repo.full_name);
    }
    return { login: user.login, repositories: [...repositories].sort() };
  } catch (error) {
    if (httpStatus(error) === 401) throw new UserTokenRejected("GitHub no longer accepts the sign-in");
    throw error;
  }
}

import type { Probot } from "probot";
import { httpStatus } from "../../core/github/http-status.ts";
import type { GitHub, RepoRef } from "../deps/types.ts";

export type RepoAccess =
  | { ok: true; octokit: GitHub; defaultBranch: string }
  | { ok: false; status: 404; message: string };

/**
 * An installation client for one repository, found through the App's JWT: outside signals arrive
 * without an installation id, so the App looks up whether it is installed there at all.
 */
export async function repoAccess(app: Pick<Probot, "auth">, repo: RepoRef): Promise<RepoAccess> {
  const notInstalled = {
    ok: false as const,
    status: 404 as const,
    message: `The inhouse App is not installed on ${repo.owner}/${repo.name}: install it there (or fix the repository name) and try again.`,
  };
  const asApp = await app.auth();
  let installationId: number;
  try {
    const { data } = await asApp.rest.apps.getRepoInstallation({ owner: repo.owner, repo: repo.name });
    installationId = data.id;
  } catch (error) {
    if (httpStatus(error) === 404) return notInstalled;
    throw error;
  }
  const octokit = (await app.auth(installationId)) as unknown as GitHub;
  try {
    const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.name });
    return { ok: true, octokit, defaultBranch: data.default_branch };
  } catch (error) {
    if (httpStatus(error) === 404) return notInstalled;
    throw error;
  }
}

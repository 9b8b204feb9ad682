import type { RepoConfig } from "../../core/config.ts";
import type { GitHub, RepoRef } from "../deps/types.ts";
import type { DispatchTarget } from "./dispatch-advice.ts";

/** The workflow to dispatch: in this repository or the central runner repository (`dispatch.repo`). */
export async function resolveDispatchTarget(
  octokit: GitHub,
  repo: RepoRef,
  defaultBranch: string,
  config: RepoConfig,
): Promise<DispatchTarget> {
  const [owner, name] = config.dispatch.repo?.split("/") ?? [repo.owner, repo.name];
  const sameRepo = owner === repo.owner && name === repo.name;
  let ref = config.dispatch.ref;
  if (ref === undefined) {
    ref = sameRepo
      ? defaultBranch
      : (await octokit.rest.repos.get({ owner: owner!, repo: name! })).data.default_branch;
  }
  return { owner: owner!, name: name!, workflow: config.dispatch.workflow, ref };
}

import { runGit } from "./git-repos.ts";
import { type PushRule, type RefUpdate, ZERO_SHA } from "./push-gate.ts";
import { grants } from "./route-permissions.ts";

/**
 * "Some endpoints that require write access to the repository Contents permission also require
 * write access to the repository Workflows permission if the request will affect workflow files"
 * (https://docs.github.com/rest/authentication/permissions-required-for-github-apps). For git the
 * same rule refuses the ref with `(refusing to allow a GitHub App to create or update workflow
 * `<path>` without `workflows` permission)`, the text GitHub prints (e.g.
 * https://github.com/repo-sync/github-sync/issues/23, peter-evans/create-pull-request#1713).
 * Judged on the commits the push brings that the repository did not have.
 */
export function workflowsPushRule(): PushRule {
  return async ({ repo, caller }, update) => {
    if (caller.kind !== "installation" || grants(caller.permissions, { workflows: "write" }))
      return undefined;
    if (update.after === ZERO_SHA) return undefined;
    const workflow = await firstWorkflowTouched(repo.gitDir, update);
    if (!workflow) return undefined;
    return {
      reason: `refusing to allow a GitHub App to create or update workflow \`${workflow}\` without \`workflows\` permission`,
    };
  };
}

async function firstWorkflowTouched(gitDir: string, update: RefUpdate): Promise<string | undefined> {
  const text = async (args: string[]) => (await runGit(["-C", gitDir, ...args])).toString("utf8");
  const commits = (await text(["rev-list", "--reverse", update.after, "--not", "--all"]))
    .split("\n")
    .filter(Boolean);
  for (const commit of commits) {
    const paths = (await text(["diff-tree", "--no-commit-id", "--name-only", "-r", "--root", commit])).split(
      "\n",
    );
    const workflow = paths.find((path) => path.startsWith(".github/workflows/"));
    if (workflow) return workflow;
  }
  return undefined;
}

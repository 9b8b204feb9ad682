import type { GitHub } from "../github/client.ts";
import type { GitAuth } from "../workspace/auth-header.ts";
import { git } from "../workspace/git.ts";
import type { ApiChanges } from "./api-changes.ts";
import { PushRejectedError } from "./push.ts";

/**
 * Makes the agent's commit through GitHub's GraphQL `createCommitOnBranch`, which GitHub signs
 * (changelog "A simpler API for authoring commits": "Commits authored using the new API are
 * automatically GPG signed and are marked as verified",
 * https://github.blog/changelog/2021-09-13-a-simpler-api-for-authoring-commits). `expectedHeadOid`
 * makes it compare-and-swap: GitHub refuses with `STALE_DATA` ("Expected branch to point to ...")
 * when the branch moved, so the mutation never overwrites anyone and a repeat after a lost answer
 * cannot commit twice; whether the first attempt landed is read from the branch itself.
 */
const MUTATION = `mutation ($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}`;

export interface ApiCommitTarget {
  gh: GitHub;
  owner: string;
  name: string;
  branch: string;
  /** The commit the branch must point at now: the new commit's parent. */
  expectedHeadOid: string;
  headline: string;
  body: string;
  changes: Extract<ApiChanges, { ok: true }>;
  /** The task's clone, to read the branch after a lost answer. */
  dir: string;
  auth: GitAuth;
}

interface GraphqlFailure {
  status?: number;
  errors?: Array<{ type?: string; message?: string }>;
  message?: string;
}

/** What the branch points at on GitHub now, with that commit's parents and message. */
async function remoteHead(
  target: ApiCommitTarget,
): Promise<{ oid: string; parent: string; message: string }> {
  const options = { config: target.auth.config, secrets: target.auth.secrets };
  await git(
    ["-C", target.dir, "fetch", "--quiet", "--no-tags", "origin", `refs/heads/${target.branch}`],
    options,
  );
  const [oid, parent, ...message] = (
    await git(["-C", target.dir, "log", "-1", "--format=%H%n%P%n%B", "FETCH_HEAD"])
  ).stdout.split("\n");
  return { oid: oid!, parent: parent!.split(" ")[0]!, message: message.join("\n").trim() };
}

function ruleRefusal(error: GraphqlFailure, branch: string): PushRejectedError | undefined {
  const text = error.errors?.map((e) => e.message ?? "").join(" ") ?? error.message ?? "";
  if (!/Repository rule violations|protected branch/i.test(text)) return undefined;
  const rules = text.replace(/\s+/g, " ").trim();
  return new PushRejectedError(
    `GitHub refused the commit to \`${branch}\` through its API: ${rules}. Add the App to the ruleset's bypass list, or relax the branch rule.`,
    /Repository rule/i.test(text) ? "ruleset" : "protected-branch",
  );
}

/** Creates the commit on `branch` and returns its oid (GitHub's commit, not the local one). */
export async function commitThroughApi(target: ApiCommitTarget): Promise<string> {
  const input = {
    branch: { repositoryNameWithOwner: `${target.owner}/${target.name}`, branchName: target.branch },
    expectedHeadOid: target.expectedHeadOid,
    message: { headline: target.headline, body: target.body },
    fileChanges: { additions: target.changes.additions, deletions: target.changes.deletions },
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await target.gh.graphql<{ createCommitOnBranch: { commit: { oid: string } } }>(
        MUTATION,
        { input },
      );
      return result.createCommitOnBranch.commit.oid;
    } catch (raw) {
      const error = raw as GraphqlFailure;
      const refusal = ruleRefusal(error, target.branch);
      if (refusal) throw refusal;
      const stale = error.errors?.some((e) => e.type === "STALE_DATA") ?? false;
      const lost = typeof error.status === "number" && error.status >= 500;
      if (!stale && !lost) throw raw;
      // The answer may have been lost after GitHub committed: look at the branch before anything else.
      const head = await remoteHead(target);
      if (head.parent === target.expectedHeadOid && head.message.startsWith(target.headline)) return head.oid;
      if (head.oid !== target.expectedHeadOid) {
        throw new PushRejectedError(
          `the commit to ${target.branch} was refused because the branch moved since the task started (someone pushed to it). Nothing was overwritten; run the command again to work from the new commits.`,
          "branch-moved",
        );
      }
      if (attempt >= 2) throw raw;
    }
  }
}

import { applyPatch, type CommitOptions, commitStaged } from "../../../action/publish/commit.ts";

/** Apply and commit with no policy in between: for tests of what happens after the policy passed. */
export async function commitPatch(options: CommitOptions & { patch: string }): Promise<string> {
  await applyPatch(options.dir, options.patch);
  return commitStaged(options);
}

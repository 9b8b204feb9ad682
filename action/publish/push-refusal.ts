/**
 * Reads why GitHub refused a `git push` and says what to do about it. GitHub prints the rule
 * behind a refusal on `remote:` lines and the verdict as `[remote rejected] (<reason>)`:
 * - `protected branch hook declined` after `GH006: Protected branch update failed` (branch protection),
 * - `push declined due to repository rule violations` after `GH013` (rulesets),
 * - `refusing to allow a GitHub App to create or update workflow `<path>` without `workflows` permission`,
 * - `permission denied` (a fork's branch that does not allow edits from maintainers),
 * while `[rejected] (fetch first)` / `(non-fast-forward)` / `(stale info)` mean the branch moved.
 */
export type PushRefusalKind =
  | "branch-moved"
  | "protected-branch"
  | "ruleset"
  | "workflows-permission"
  | "fork-permission"
  | "other";

export interface PushRefusal {
  kind: PushRefusalKind;
  /** The rule lines GitHub printed (`Changes must be made through a pull request.`, ...). */
  violations: string[];
  /** The sentence for the status comment: what happened and what to do. */
  advice: string;
}

function remoteLines(output: string): string[] {
  return output
    .split("\n")
    .map((line) => /^remote:\s?(.*)$/.exec(line.trimEnd())?.[1])
    .filter((line): line is string => line !== undefined);
}

/** `- <rule>` lines of a GH006/GH013 message, without the commit lists that follow some of them. */
function violationsIn(output: string): string[] {
  return remoteLines(output)
    .map((line) => /^- (.+)$/.exec(line.trim())?.[1])
    .filter((line): line is string => line !== undefined);
}

function rejectedReason(output: string): string | undefined {
  return /\[remote rejected\]\s*(?:\S+ -> \S+\s*)?\((.+)\)\s*$/m.exec(output)?.[1];
}

const listed = (violations: string[]) => (violations.length > 0 ? ` (${violations.join(" ")})` : "");

/**
 * Classifies a refused push from git's stdout and stderr (`--porcelain` puts the verdict on
 * stdout); undefined when git did not report a refused ref (a network failure, a 403 on the URL).
 */
export function classifyPushRefusal(
  output: string,
  branch: string,
  notViaApi?: string,
): PushRefusal | undefined {
  const violations = violationsIn(output);
  const reason = rejectedReason(output);
  if (reason?.startsWith("refusing to allow a GitHub App to create or update workflow")) {
    const file = /workflow `([^`]+)`/.exec(reason)?.[1] ?? ".github/workflows/";
    return {
      kind: "workflows-permission",
      violations: [reason],
      advice: `GitHub refused the push to \`${branch}\` because the change touches the workflow file \`${file}\` and the App has no Workflows permission. Either grant the App "Workflows: Read and write" (and accept the new permission on the installation), or keep \`.github/workflows/**\` in \`protectedPaths\` so the agent leaves workflow files alone.`,
    };
  }
  if (reason === "protected branch hook declined" || /GH006: Protected branch update failed/.test(output)) {
    return {
      kind: "protected-branch",
      violations,
      advice: `GitHub refused the push to \`${branch}\`: the branch is protected${listed(violations)}. The agent does not bypass branch protection; relax the rule for this branch, or ask for the change on an issue so the agent opens a pull request from a new branch.`,
    };
  }
  if (
    reason === "push declined due to repository rule violations" ||
    /GH013: Repository rule violations/.test(output)
  ) {
    const signatures = violations.some((v) => /verified signatures/i.test(v));
    const why = notViaApi ? ` because ${notViaApi}` : "";
    const fix = signatures
      ? `The agent's commits go through GitHub's API, which signs them, whenever the change allows it; this one had to be pushed with git${why}, and git commits are unsigned. Add the App to the ruleset's bypass list, or keep such changes out of the agent's work.`
      : "Add the App to the ruleset's bypass list, or exclude the agent's branches from the ruleset.";
    return {
      kind: "ruleset",
      violations,
      advice: `GitHub refused the push to \`${branch}\`: a repository ruleset forbids it${listed(violations)}. ${fix}`,
    };
  }
  if (reason === "permission denied") {
    return {
      kind: "fork-permission",
      violations: [],
      advice: `GitHub refused the push to \`${branch}\` (permission denied): the pull request comes from a fork that does not allow edits from maintainers. Ask its author to tick "Allow edits from maintainers", or take the change as a suggestion.`,
    };
  }
  if (
    /\[rejected\].*\((fetch first|non-fast-forward|stale info)\)|\[remote rejected\].*\((fetch first|non-fast-forward)\)/.test(
      output,
    )
  ) {
    return {
      kind: "branch-moved",
      violations: [],
      advice: `the push to ${branch} was rejected because the branch moved since the task started (someone pushed to it). Nothing was overwritten; run the command again to work from the new commits.`,
    };
  }
  if (reason !== undefined) {
    return {
      kind: "other",
      violations,
      advice: `GitHub refused the push to \`${branch}\` (${reason})${listed(violations)}. Nothing was pushed; the run's log has git's full answer.`,
    };
  }
  return undefined;
}

import { httpStatus } from "../../core/github/http-status.ts";
import type { GitHub } from "../github/client.ts";
import type { PullRequestInfo } from "../github/pull-request-info.ts";
import { replyInThread } from "./pull-request.ts";
import { planSuggestions, type Suggestion, stagedPatch } from "./suggestions.ts";

export interface SuggestInput {
  gh: GitHub;
  repo: { owner: string; name: string };
  pr: PullRequestInfo;
  /** The host clone with the judged change staged (or committed) on top of the pull request's head. */
  dir: string;
  /** Why the change is not pushed (the plan's `suggestOnly`, or GitHub's refusal of the push). */
  why: string;
  actor: string;
  summary: string;
  runUrl: string;
  /** Redacts and fits a body to GitHub's limit (the run's outgoing-text rules). */
  body: (what: string, text: string) => string;
}

export type Suggested =
  | { kind: "suggestions"; url: string; count: number }
  | { kind: "patch"; url: string; because: string };

/** A fence longer than any backtick run in the lines, so a suggestion cannot close it early. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(longest + 1);
}

/** An empty suggestion block deletes the lines (GitHub's "suggested change" with no content). */
export function suggestionBody(suggestion: Suggestion): string {
  const text = suggestion.lines.join("\n");
  const f = fenceFor(text);
  const what = suggestion.lines.length === 0 ? "Delete these lines." : "Suggested change:";
  return suggestion.lines.length === 0
    ? `${what}\n\n${f}suggestion\n${f}`
    : `${what}\n\n${f}suggestion\n${text}\n${f}`;
}

/**
 * Posts the agent's change on a fork pull request without pushing anything (issue #12, item 3): one
 * `COMMENT` review whose inline comments are GitHub suggestions the author can commit, or, where
 * suggestions cannot express the change (new or binary files, lines outside the pull request's
 * diff, GitHub refusing the review), the whole patch in a comment. Either way the text says why.
 */
export async function suggestChange(input: SuggestInput): Promise<Suggested> {
  const { gh, repo, pr } = input;
  const target = { owner: repo.owner, repo: repo.name, pull_number: pr.number };
  const { data: pull } = await gh.rest.pulls.get(target);
  const plan =
    pull.head.sha !== pr.headSha
      ? {
          ok: false as const,
          reason: `the pull request moved from ${pr.headSha.slice(0, 12)} to ${pull.head.sha.slice(0, 12)} while the agent worked`,
        }
      : await planSuggestions(
          input.dir,
          pr.headSha,
          await gh.paginate(gh.rest.pulls.listFiles, { ...target, per_page: 100 }),
        );
  const intro = `The agent's change for @${input.actor} is not pushed: ${input.why}.`;
  if (plan.ok) {
    const text = [
      intro,
      `It is here as ${plan.suggestions.length} suggestion${plan.suggestions.length === 1 ? "" : "s"}; "Commit suggestions" applies them to the pull request's branch.`,
      "",
      input.summary,
      "",
      `[Run log](${input.runUrl})`,
    ].join("\n");
    try {
      const { data } = await gh.rest.pulls.createReview({
        ...target,
        commit_id: pr.headSha,
        event: "COMMENT",
        body: input.body("review", text),
        comments: plan.suggestions.map((s) => ({
          path: s.path,
          line: s.line,
          side: "RIGHT" as const,
          ...(s.startLine < s.line ? { start_line: s.startLine, start_side: "RIGHT" as const } : {}),
          body: input.body("suggestion", suggestionBody(s)),
        })),
      });
      return { kind: "suggestions", url: data.html_url, count: plan.suggestions.length };
    } catch (error) {
      if (httpStatus(error) !== 422) throw error;
      return postPatch(input, intro, `GitHub refused the suggestions (${(error as Error).message})`);
    }
  }
  return postPatch(input, intro, plan.reason);
}

async function postPatch(input: SuggestInput, intro: string, because: string): Promise<Suggested> {
  const patch = await stagedPatch(input.dir, input.pr.headSha);
  const f = fenceFor(patch);
  const text = [
    intro,
    `It is here as a patch, since suggestions cannot carry it: ${because}. Apply it on the pull request's branch with \`git apply\` (save the block below as \`agent.patch\`, then \`git apply agent.patch\`).`,
    "",
    input.summary,
    "",
    `${f}diff`,
    patch.replace(/\n$/, ""),
    f,
    "",
    `[Run log](${input.runUrl})`,
  ].join("\n");
  const url = await replyInThread(input.gh, input.repo, input.pr.number, input.body("patch comment", text));
  return { kind: "patch", url, because };
}

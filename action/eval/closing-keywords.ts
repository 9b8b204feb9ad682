/**
 * Which issues a pull request closes. GitHub links a PR to an issue when its description uses one of
 * nine keywords before the reference: close, closes, closed, fix, fixes, fixed, resolve, resolves,
 * resolved, any case, optionally followed by a colon ("Linking a pull request to an issue using a
 * keyword", https://docs.github.com/en/issues/tracking-your-work-with-issues/using-issues/linking-a-pull-request-to-an-issue).
 * gh's `closingIssuesReferences` is GitHub's own answer and wins when the export has it.
 */
import type { ExportedPull } from "./export-format.ts";

const KEYWORD_REFERENCE = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+#(\d+)\b/gi;

export function closingKeywordReferences(text: string): number[] {
  return [...text.matchAll(KEYWORD_REFERENCE)].map((match) => Number(match[1]));
}

export function issuesClosedBy(pull: ExportedPull): number[] {
  if (pull.closingIssuesReferences?.length) return pull.closingIssuesReferences.map((ref) => ref.number);
  return [...new Set(closingKeywordReferences(`${pull.title}\n${pull.body ?? ""}`))];
}

import type { CheckRun } from "../deps/payloads.ts";
import type { GitHub, RepoRef } from "../deps/types.ts";

/** How much of a failure the follow-up's instructions carry: the end of the log, where errors are. */
export const EXCERPT_LINES = 60;
export const EXCERPT_CHARS = 6_000;

/** Actions prefixes every log line with its time (`2026-01-02T03:04:05.1234567Z `): noise to the model. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z /;

/** The last lines of a log, timestamps removed, within EXCERPT_LINES and EXCERPT_CHARS. */
export function logTail(log: string): string {
  const lines = log
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((line) => line.replace(TIMESTAMP, "").trimEnd())
    .filter((line) => line !== "");
  const tail = lines.slice(-EXCERPT_LINES).join("\n");
  return tail.length > EXCERPT_CHARS ? `…${tail.slice(-(EXCERPT_CHARS - 1))}` : tail;
}

/**
 * What failed, in text: for a GitHub Actions job (its check run id is the job id) the end of the
 * job's log (`GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs`, Actions: read); for any other
 * CI App the output it reported on the check run (title, summary, text), which is all GitHub has.
 * https://docs.github.com/en/rest/actions/workflow-jobs#download-job-logs-for-a-workflow-run
 */
export async function failureExcerpt(octokit: GitHub, repo: RepoRef, check: CheckRun): Promise<string> {
  if (check.app?.slug === "github-actions") {
    try {
      const { data } = await octokit.rest.actions.downloadJobLogsForWorkflowRun({
        owner: repo.owner,
        repo: repo.name,
        job_id: check.id,
      });
      const text = typeof data === "string" ? data : String(data);
      if (text.trim()) return logTail(text);
    } catch {
      // Logs expire or the token may not read them: the reported output is still something.
    }
  }
  const { title, summary, text } = check.output;
  return logTail([title, summary, text].filter((part) => part?.trim()).join("\n\n"));
}

/** The follow-up's instructions: which check failed where, and the excerpt to start from. */
export function followUpInstructions(check: CheckRun, excerpt: string, nth: number, max: number): string {
  const lines = [
    `The check "${check.name}" failed (${check.conclusion}) on this pull request's head ${check.head_sha.slice(0, 12)}${check.details_url ? ` (${check.details_url})` : ""}.`,
    "Find why and fix it in this pull request; run the failing step yourself to confirm.",
    `This is follow-up ${nth} of at most ${max} for failed checks on this pull request.`,
  ];
  if (excerpt) lines.push("", "The end of its output:", "", "```", excerpt.replaceAll("```", "'''"), "```");
  return lines.join("\n");
}

import { parseRunName } from "../status-marker.ts";
import type { GitHubRequest } from "./octokit-shape.ts";

export interface DispatchedRun {
  id: number;
  url: string;
  html_url: string;
}

export type RunLookup =
  | { kind: "found"; run: DispatchedRun }
  | { kind: "none" }
  /** Runs exist but none carries the run-name tag: which one is ours cannot be told. */
  | { kind: "untagged"; newest: DispatchedRun };

interface ListedRun extends DispatchedRun {
  created_at: string;
  display_title?: string;
}

/**
 * The run a workflow dispatch created, by the run-name tag naming the task's status comment
 * (`RUN_NAME_EXPRESSION` in core/status-marker.ts), among the workflow_dispatch runs created since
 * `since`. The App uses it where GitHub gives no run details, and the write-once rule uses it to
 * tell whether a dispatch GitHub answered with 5xx started a run.
 */
export async function findDispatchedRun(
  request: GitHubRequest,
  target: { owner: string; repo: string; workflow_id: string | number },
  statusCommentId: number,
  since: Date,
): Promise<RunLookup> {
  const { data } = await request("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", {
    ...target,
    event: "workflow_dispatch",
    created: `>=${since.toISOString()}`,
    per_page: 20,
  });
  const runs = [...(data as { workflow_runs: ListedRun[] }).workflow_runs].sort(
    (a, b) => Date.parse(b.created_at) - Date.parse(a.created_at),
  );
  const tagged = runs.filter((run) => parseRunName(run.display_title ?? "") !== undefined);
  if (tagged.length === 0) return runs[0] ? { kind: "untagged", newest: runs[0] } : { kind: "none" };
  const ours = tagged.find(
    (run) => parseRunName(run.display_title ?? "")?.statusCommentId === statusCommentId,
  );
  return ours ? { kind: "found", run: ours } : { kind: "none" };
}

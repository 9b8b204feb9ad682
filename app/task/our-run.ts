import type { RepoConfig } from "../../core/config.ts";
import type { StatusMarker } from "../../core/status-marker.ts";

export interface CompletedRun {
  id: number;
  event: string;
  /** The workflow file, as GitHub names it in the payload (`.github/workflows/agent.yml`). */
  path: string;
  /** owner/name of the repository the run ran in. */
  repo: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Issue #13, item 3: only our runs change our state. A completed workflow run counts only if it
 * is a `workflow_dispatch` run of the configured agent workflow in the repository the App
 * dispatches to for this thread, and, once the status records a run, that very run. Anything else
 * (a fork's CI whose title copies our run-name tag, another workflow, a run in another
 * repository) is named in the answer and changes nothing.
 */
export function whyNotOurRun(
  run: CompletedRun,
  marker: StatusMarker,
  threadRepo: string,
  dispatch: RepoConfig["dispatch"],
): string | undefined {
  if (run.event !== "workflow_dispatch") return `it was started by ${run.event}, not workflow_dispatch`;
  const expectedRepo = dispatch.repo ?? threadRepo;
  if (!same(run.repo, expectedRepo)) return `it ran in ${run.repo}, not in ${expectedRepo}`;
  const expectedPath = `.github/workflows/${dispatch.workflow}`;
  if (run.path !== expectedPath) return `it ran ${run.path || "an unnamed workflow"}, not ${expectedPath}`;
  if (marker.run && (marker.run.id !== run.id || !same(marker.run.repo, run.repo)))
    return `the status records run ${marker.run.id} in ${marker.run.repo}, not run ${run.id}`;
  return undefined;
}

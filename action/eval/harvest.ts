/** `inhouse eval harvest`: candidates from the export and the clone, validated in sandboxes, written out. */
import { mapConcurrently } from "./concurrency.ts";
import type { RepositoryExport } from "./export-format.ts";
import type { Dropped, EvalInstance, InstancesFile } from "./instance.ts";
import { selectCandidates } from "./select-candidates.ts";
import type { PathClassifier } from "./test-paths.ts";
import { validateCandidate } from "./validate.ts";

export interface HarvestOptions {
  repo: string;
  image: string;
  classify: PathClassifier;
  testCommand?: string;
  testTimeoutMs: number;
  concurrency: number;
  onProgress?: (line: string) => void;
}

export async function harvest(data: RepositoryExport, options: HarvestOptions): Promise<InstancesFile> {
  const progress = options.onProgress ?? (() => {});
  const selection = await selectCandidates(data, options);
  progress(
    `${selection.candidates.length} candidates, ${selection.dropped.length} left out before running tests`,
  );
  const instances: EvalInstance[] = [];
  const dropped: Dropped[] = [...selection.dropped];
  const validations = await mapConcurrently(selection.candidates, options.concurrency, async (candidate) => {
    const validation = await validateCandidate(candidate, options);
    progress(
      `${candidate.id}: ${validation.ok ? `kept (${validation.instance.failToPass.length} FAIL_TO_PASS)` : `dropped: ${validation.reason.split("\n")[0]}`}`,
    );
    return { candidate, validation };
  });
  for (const { candidate, validation } of validations) {
    if (validation.ok) instances.push(validation.instance);
    else
      dropped.push({
        id: candidate.id,
        issue: candidate.issue,
        pull: candidate.pull,
        reason: validation.reason,
      });
  }
  dropped.sort((a, b) => a.issue - b.issue);
  return { repository: data.repository, harvestedAt: new Date().toISOString(), instances, dropped };
}

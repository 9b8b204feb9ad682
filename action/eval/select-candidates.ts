/**
 * Harvest, first half: from the export and the local clone, the closed issues linked to a merged
 * pull request that changed both code and tests, with everything frozen that grading needs. Every
 * issue or pull request left out is listed with the reason, so a short list can be explained.
 */
import { CONFIG_PATH, loadConfig } from "../../core/config.ts";
import { issuesClosedBy } from "./closing-keywords.ts";
import type { ExportedIssue, ExportedPull, RepositoryExport } from "./export-format.ts";
import type { Candidate, Dropped } from "./instance.ts";
import { issueThreadAt } from "./issue-text.ts";
import { baseAtMerge, changedPaths, commitExists, diffOf, fileAt } from "./repo-history.ts";
import type { PathClassifier } from "./test-paths.ts";

export interface SelectOptions {
  repo: string;
  classify: PathClassifier;
  /** Overrides the test command the repository's `.github/agent.yml` names at the base commit. */
  testCommand?: string;
}

export interface Selection {
  candidates: Candidate[];
  dropped: Dropped[];
}

class Skip extends Error {}

async function testCommandAt(options: SelectOptions, base: string): Promise<string> {
  if (options.testCommand) return options.testCommand;
  const text = await fileAt(options.repo, base, CONFIG_PATH);
  const parsed = text === null ? undefined : loadConfig(text);
  const command = parsed?.ok ? parsed.value.commands.test : undefined;
  if (!command) {
    throw new Skip(
      `no test command: ${CONFIG_PATH} at the base commit names none (commands.test); pass --test-command`,
    );
  }
  return command;
}

async function candidateFor(
  data: RepositoryExport,
  issue: ExportedIssue,
  pull: ExportedPull,
  options: SelectOptions,
): Promise<Candidate> {
  const oid = pull.mergeCommit?.oid;
  if (!oid) throw new Skip(`pull request #${pull.number} has no merge commit in the export`);
  const merge = await commitExists(options.repo, oid);
  if (!merge) {
    throw new Skip(
      `merge commit ${oid.slice(0, 12)} of #${pull.number} is not in the clone; run \`git fetch origin\` in ${options.repo}`,
    );
  }
  const prFiles = pull.files?.map((file) => file.path) ?? [];
  const base = await baseAtMerge(options.repo, merge, prFiles, pull.commits?.length ?? 1);
  const paths = await changedPaths(options.repo, base, merge);
  const tests = paths.filter((path) => options.classify(path) === "test");
  const code = paths.filter((path) => options.classify(path) === "code");
  if (tests.length === 0) throw new Skip(`pull request #${pull.number} changed no test files`);
  if (code.length === 0) throw new Skip(`pull request #${pull.number} changed only tests`);
  const testFiles: Record<string, string | null> = {};
  for (const path of tests) testFiles[path] = await fileAt(options.repo, merge, path);
  return {
    id: `${data.repository}#${issue.number}`,
    repository: data.repository,
    issue: issue.number,
    pull: pull.number,
    openedAt: pull.createdAt,
    thread: issueThreadAt(issue, pull.createdAt),
    baseCommit: base,
    mergeCommit: merge,
    testFiles,
    referencePatch: await diffOf(options.repo, base, merge, code),
    testCommand: await testCommandAt(options, base),
  };
}

/** The merged pull request that closed the issue; the earliest merged one when several did. */
function closingPull(issue: ExportedIssue, pulls: ExportedPull[]): ExportedPull | undefined {
  return pulls
    .filter((pull) => pull.mergedAt && issuesClosedBy(pull).includes(issue.number))
    .sort((a, b) => Date.parse(a.mergedAt ?? "") - Date.parse(b.mergedAt ?? ""))[0];
}

export async function selectCandidates(data: RepositoryExport, options: SelectOptions): Promise<Selection> {
  const selection: Selection = { candidates: [], dropped: [] };
  const closed = data.issues.filter((issue) => (issue.state ?? "CLOSED").toUpperCase() === "CLOSED");
  for (const issue of closed.sort((a, b) => a.number - b.number)) {
    const id = `${data.repository}#${issue.number}`;
    const pull = closingPull(issue, data.pulls);
    if (!pull) {
      selection.dropped.push({ id, issue: issue.number, reason: "no merged pull request closes this issue" });
      continue;
    }
    try {
      selection.candidates.push(await candidateFor(data, issue, pull, options));
    } catch (error) {
      if (!(error instanceof Skip)) throw error;
      selection.dropped.push({ id, issue: issue.number, pull: pull.number, reason: error.message });
    }
  }
  return selection;
}

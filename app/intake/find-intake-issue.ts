import type { GitHub, RepoRef } from "../deps/types.ts";
import { type IntakeSource, readIntakeMarker } from "./intake-marker.ts";

export interface FoundIssue {
  number: number;
  url: string;
}

/**
 * The issue the App opened earlier for the same outside item (a Sentry issue id): every intake issue
 * carries its source as a label, so the list is short and strongly consistent (search is not: two
 * alerts a second apart would both miss). Only an issue a bot opened with the App's marker counts,
 * so nobody can pre-open an issue that swallows alerts.
 */
export async function findIntakeIssue(
  octokit: GitHub,
  repo: RepoRef,
  source: IntakeSource,
  key: string,
): Promise<FoundIssue | undefined> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner: repo.owner,
    repo: repo.name,
    labels: source,
    state: "all",
    per_page: 100,
  });
  const found = issues.find((issue) => {
    const marker = readIntakeMarker(issue.body);
    return issue.user?.type === "Bot" && marker?.source === source && marker.key === key;
  });
  return found ? { number: found.number, url: found.html_url } : undefined;
}

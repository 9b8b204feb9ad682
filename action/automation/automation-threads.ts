import type { GitHub } from "../github/client.ts";
import type { PullRequestInfo } from "../github/pull-request-info.ts";

/** Hidden in the body of every PR and issue an automation opens: how a later run finds it again. */
export function automationMarker(name: string): string {
  return `<!-- inhouse-automation: ${name} -->`;
}

/** The end of every PR and issue an automation opens: which automation made it, and how to turn it off. */
export function automationFooter(name: string): string {
  return `<sub>Made by the inhouse automation \`${name}\` (\`automations.tasks.${name}\` in .github/agent.yml). Later runs update this instead of opening another. To turn it off, remove that entry, or drop it from the schedule in .github/workflows/agent-automations.yml.</sub>`;
}

/**
 * A body the action posts for an automation, with the marker added after the body went through the
 * run's outgoing-text filter: that filter makes any marker-like text inert (the model wrote much of
 * the body), so only the action's own marker can mark a PR or issue as the automation's.
 */
export function withAutomationMarker(body: string, name: string): string {
  return `${body}\n\n${automationMarker(name)}`;
}

interface Authored {
  body?: string | null;
  user: { type?: string } | null;
}

/** Opened by a bot (the App, or the workflow's token) with this automation's marker: a person's PR is never taken over. */
function isOurs(item: Authored, name: string): boolean {
  return item.user?.type === "Bot" && (item.body ?? "").includes(automationMarker(name));
}

/**
 * The automation's open pull request, if it has one: a later run adds a commit to its branch
 * instead of opening another. A fork's PR never qualifies (its branch is not ours to push to).
 */
export async function findAutomationPull(
  gh: GitHub,
  repo: { owner: string; name: string },
  name: string,
): Promise<PullRequestInfo | undefined> {
  const pulls = await gh.paginate(gh.rest.pulls.list, {
    owner: repo.owner,
    repo: repo.name,
    state: "open",
    per_page: 100,
  });
  const here = `${repo.owner}/${repo.name}`.toLowerCase();
  const found = pulls.find((pull) => isOurs(pull, name) && pull.head.repo?.full_name.toLowerCase() === here);
  if (!found) return undefined;
  return {
    number: found.number,
    state: "open",
    merged: false,
    headRef: found.head.ref,
    headSha: found.head.sha,
    headRepo: found.head.repo?.full_name,
    baseRef: found.base.ref,
    baseSha: found.base.sha,
    isFork: false,
    maintainerCanModify: false,
  };
}

/** The automation's open issue, if it has one: a later run comments there instead of opening another. */
export async function findAutomationIssue(
  gh: GitHub,
  repo: { owner: string; name: string },
  name: string,
): Promise<{ number: number; url: string } | undefined> {
  const issues = await gh.paginate(gh.rest.issues.listForRepo, {
    owner: repo.owner,
    repo: repo.name,
    state: "open",
    per_page: 100,
  });
  const found = issues.find((issue) => !issue.pull_request && isOurs(issue, name));
  return found ? { number: found.number, url: found.html_url } : undefined;
}

/**
 * `inhouse eval run --suggest --github owner/name`: the best profile offered to the team as a pull
 * request that changes `.github/agent.yml`, never a change made for them. The commit is built on
 * the default branch as GitHub has it now (fetched from the clone's remote), pushed to the
 * tool's own branch `eval/model-<profile>` with the person's git credentials, and opened with the
 * report as its description; nothing merges it. An open pull request for that branch is left as it
 * is and named instead.
 */
import { fitGitHubBody } from "../../core/github-body.ts";
import { createGitHubClient, type GitHub } from "../github/client.ts";
import { git } from "../workspace/git.ts";

/** The user's own remote, from a terminal: git may ask for their credential, as a plain `git push` would. */
const PROMPTS_ON = { GIT_TERMINAL_PROMPT: "1" };

import { type EvalReport, reportMarkdown } from "./report.ts";
import { suggestProfile } from "./suggest-profile.ts";

export interface SuggestionPullOptions {
  /** `owner/name` on GitHub. */
  repository: string;
  token: string;
  apiUrl?: string;
  /** The clone's remote for that repository (default origin): fetched from and pushed to. */
  remote?: string;
  client?: GitHub;
}

export type SuggestionPull =
  | { kind: "opened" | "already-open"; url: string; number: number; branch: string; profile: string }
  | { kind: "unchanged"; profile: string; why: string };

function pullBody(report: EvalReport, profile: string, base: string): string {
  const intro = [
    `\`inhouse eval\` replayed ${report.instances.length} closed issues of ${report.repository} with each model profile; **${profile}** resolved the most, so this pull request sets \`model.profile: ${profile}\` in \`.github/agent.yml\`.`,
    "",
    `Nothing changes until someone merges it. Built on \`${base.slice(0, 12)}\` of the default branch; the report follows.`,
    "",
  ].join("\n");
  return fitGitHubBody(
    `${intro}\n${reportMarkdown(report)}`,
    "The report is cut here; the full one is report.md of the eval.",
  ).body;
}

export async function suggestByPullRequest(
  repoDir: string,
  report: EvalReport,
  options: SuggestionPullOptions,
): Promise<SuggestionPull> {
  const [owner = "", repo = ""] = options.repository.split("/");
  if (!owner || !repo) throw new Error(`--github expects owner/name, got '${options.repository}'`);
  const remote = options.remote ?? "origin";
  const github = options.client ?? createGitHubClient({ token: options.token, baseUrl: options.apiUrl });
  const { data: repository } = await github.rest.repos.get({ owner, repo });
  const defaultBranch = repository.default_branch;
  try {
    await git(["-C", repoDir, "fetch", "--quiet", remote, `refs/heads/${defaultBranch}`], {
      env: PROMPTS_ON,
    });
  } catch (error) {
    throw new Error(
      `cannot fetch ${defaultBranch} from the remote '${remote}' of ${repoDir} (${(error as Error).message.split("\n")[0]}); the suggestion is built on GitHub's ${defaultBranch}: check that remote points at ${options.repository} and that git can read it`,
    );
  }
  const base = (await git(["-C", repoDir, "rev-parse", "FETCH_HEAD"])).stdout.trim();
  const suggestion = await suggestProfile(repoDir, report, base);
  if (suggestion.kind === "unchanged") return suggestion;
  const { branch, profile, commit } = suggestion;

  const { data: open } = await github.rest.pulls.list({
    owner,
    repo,
    state: "open",
    head: `${owner}:${branch}`,
  });
  if (open[0])
    return { kind: "already-open", url: open[0].html_url, number: open[0].number, branch, profile };
  try {
    // The tool's own branch, with no open pull request: replaced by this suggestion.
    await git(["-C", repoDir, "push", "--quiet", "--force", remote, `${commit}:refs/heads/${branch}`], {
      env: PROMPTS_ON,
    });
  } catch (error) {
    throw new Error(
      `cannot push ${branch} to the remote '${remote}' (${(error as Error).message.split("\n")[0]}); git needs write access to ${options.repository}; the branch ${branch} is ready in ${repoDir}`,
    );
  }
  const { data: pull } = await github.rest.pulls.create({
    owner,
    repo,
    head: branch,
    base: defaultBranch,
    title: `Use model profile ${profile} (inhouse eval)`,
    body: pullBody(report, profile, base),
  });
  return { kind: "opened", url: pull.html_url, number: pull.number, branch, profile };
}

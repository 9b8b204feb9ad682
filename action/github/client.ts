import { Octokit } from "@octokit/rest";
import { type RetryTuning, retryGitHub } from "./retry-policy.ts";

export type GitHub = InstanceType<typeof Octokit>;

export interface GitHubClientOptions {
  token: string;
  /** `GITHUB_API_URL` (GitHub Enterprise Server: `https://ghe.example.com/api/v3`). */
  baseUrl?: string;
  retry?: RetryTuning;
}

/**
 * One Octokit for the whole run. Every request goes through the one retry helper via a request
 * hook, so no call site needs to remember it.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHub {
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.baseUrl ?? "https://api.github.com",
    userAgent: "inhouse-action",
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  octokit.hook.wrap("request", (request, requestOptions) =>
    retryGitHub(async () => request(requestOptions), options.retry),
  );
  return octokit;
}

import { Octokit } from "@octokit/rest";
import { ProbotOctokit } from "probot";
import type { LocalGitHub } from "../local-github/local-github.ts";

/** Octokit against the local GitHub, no retries, so a wrong request fails the test at once. */
export function octokitFor(github: LocalGitHub, token: string): Octokit {
  return new Octokit({ auth: token, baseUrl: github.url, request: { retries: 0 } });
}

/** Octokit as the App's installation, authenticated the way Probot does it (App JWT → installation token). */
export function installationOctokit(github: LocalGitHub) {
  const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    retry: { enabled: false },
    throttle: { ...(options.throttle as object), enabled: false },
  }));
  return new TestOctokit({
    baseUrl: github.url,
    auth: { appId: github.app.id, privateKey: github.app.privateKey, installationId: github.installation.id },
  });
}

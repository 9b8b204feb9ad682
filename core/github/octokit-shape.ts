/**
 * The part of an Octokit the shared GitHub rules use. Structural, so the App's ProbotOctokit and the
 * action's @octokit/rest client both fit without core/ depending on either package.
 */
export type GitHubRequest = (route: string, params?: Record<string, unknown>) => Promise<{ data: unknown }>;

export interface RequestOptions {
  method: string;
  url: string;
  request?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface OctokitShape {
  request: GitHubRequest;
  hook: {
    wrap(
      name: "request",
      // biome-ignore lint/suspicious/noExplicitAny: Octokit's hook types differ between its packages
      wrapper: (request: (options: any) => unknown, options: any) => Promise<any>,
    ): void;
  };
}

import type { RepoConfig } from "./config.ts";

/**
 * Which repository's workflow runs a task, and which runs may act on it. One rule for both sides:
 *
 * - The repository's own `.github/agent.yml` decides first (`dispatch.repo`).
 * - Where it names none (no file at all, or a file without `dispatch.repo`), the App-wide default
 *   runner repository applies (the App setting `INHOUSE_DEFAULT_RUNNER_REPO`); without one, the
 *   task runs in its own repository, as before.
 * - The App records the repository it dispatched to in its status comment (`runner` in the marker).
 *   The action, which cannot see the App's settings, accepts a run in the central repository when
 *   that comment (confirmed as the App's by `task-authenticity.ts`) names it, never on the task text.
 */

export const RUNNER_REPO_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** The App's side: the config with the App-wide default filled in where the repository names none. */
export function withDefaultRunnerRepo(config: RepoConfig, appDefault: string | undefined): RepoConfig {
  if (config.dispatch.repo !== undefined || appDefault === undefined) return config;
  return { ...config, dispatch: { ...config.dispatch, repo: appDefault } };
}

/** `owner/name` of the repository whose workflow the App dispatches for `target`. */
export function runnerRepoOf(config: RepoConfig, target: { owner: string; name: string }): string {
  return config.dispatch.repo ?? `${target.owner}/${target.name}`;
}

export interface RunnerRepoEvidence {
  /** `owner/name` of the task's repository. */
  target: string;
  /** `GITHUB_REPOSITORY` of the run the action is in. */
  here: string;
  /** `dispatch.repo` from the target's own config on its default branch, when it names one. */
  configured?: string | undefined;
  /** `runner` from the App's confirmed status comment: where the App dispatched this task. */
  dispatchedTo?: string | undefined;
}

/** The action's side: undefined when this run may act on the task, else why not and how to allow it. */
export function runnerRepoRefusal(evidence: RunnerRepoEvidence): string | undefined {
  const { target, here, configured, dispatchedTo } = evidence;
  const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
  if (!here || same(here, target)) return undefined;
  if (configured !== undefined) {
    // The repository's own choice overrides the App-wide default.
    if (same(configured, here)) return undefined;
    return `this workflow runs in ${here}, but ${target}'s .github/agent.yml names ${configured} as its runner repository (dispatch.repo); set dispatch.repo: ${here} there to allow it`;
  }
  if (same(dispatchedTo, here)) return undefined;
  return `this workflow runs in ${here}, but ${target} does not name it as its runner repository; set dispatch.repo: ${here} in ${target}'s .github/agent.yml, or make it the App-wide default (INHOUSE_DEFAULT_RUNNER_REPO=${here} on the App) to allow it`;
}

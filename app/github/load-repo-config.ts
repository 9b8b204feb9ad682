import { CONFIG_PATH, defaultConfig, loadConfig, type RepoConfig } from "../../core/config.ts";
import { httpStatus } from "../../core/github/http-status.ts";
import type { Parsed } from "../../core/result.ts";
import { withDefaultRunnerRepo } from "../../core/runner-repository.ts";
import type { Deps, GitHub, RepoRef } from "../deps/types.ts";

export interface LoadedConfig {
  parsed: Parsed<RepoConfig>;
  /** False when the repository has no config file and runs on the defaults. */
  found: boolean;
  /** The branch read; "default branch" when GitHub picked it. */
  ref: string;
}

export interface LoadConfigOptions {
  /** The branch to read; unset, GitHub's default branch. */
  defaultBranch?: string | undefined;
  /**
   * The App-wide default runner repository (`INHOUSE_DEFAULT_RUNNER_REPO`). Required, so that no
   * caller can forget it: a task started from a path that left it out would dispatch to the
   * repository itself, where no workflow may exist. Pass `undefined` only where the default must not
   * apply, and say why.
   */
  defaultRunnerRepo: string | undefined;
}

/**
 * Reads `.github/agent.yml` from the default branch only: a branch or a fork cannot change the rules.
 * Where it names no `dispatch.repo` (or there is no file), the App-wide default runner repository
 * fills it in (`core/runner-repository.ts`).
 */
export async function loadRepoConfig(
  octokit: GitHub,
  repo: RepoRef,
  { defaultBranch, defaultRunnerRepo }: LoadConfigOptions,
): Promise<LoadedConfig> {
  const ref = defaultBranch ?? "default branch";
  const withDefault = (parsed: Parsed<RepoConfig>): Parsed<RepoConfig> =>
    parsed.ok ? { ok: true, value: withDefaultRunnerRepo(parsed.value, defaultRunnerRepo) } : parsed;
  try {
    const response = await octokit.rest.repos.getContent({
      owner: repo.owner,
      repo: repo.name,
      path: CONFIG_PATH,
      ...(defaultBranch ? { ref: defaultBranch } : {}),
      mediaType: { format: "raw" },
    });
    return { parsed: withDefault(loadConfig(String(response.data))), found: true, ref };
  } catch (error) {
    if (httpStatus(error) === 404)
      return { parsed: withDefault({ ok: true, value: defaultConfig() }), found: false, ref };
    throw error;
  }
}

/** The repository a webhook names, and its config read from its default branch with the App's default runner. */
export async function loadWebhookRepoConfig(
  deps: Pick<Deps, "octokit" | "defaultRunnerRepo">,
  repository: { owner: { login: string }; name: string; default_branch: string },
): Promise<{ repo: RepoRef; loaded: LoadedConfig }> {
  const repo = { owner: repository.owner.login, name: repository.name };
  const loaded = await loadRepoConfig(deps.octokit, repo, {
    defaultBranch: repository.default_branch,
    defaultRunnerRepo: deps.defaultRunnerRepo,
  });
  return { repo, loaded };
}

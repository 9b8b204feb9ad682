import { CONFIG_PATH, defaultConfig, loadConfig, type RepoConfig } from "../../core/config.ts";
import { httpStatus } from "../../core/github/http-status.ts";
import { formatErrors } from "../../core/result.ts";
import type { GitHub } from "./client.ts";

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The repository's config, read from the default branch only (a PR cannot loosen its own rules). */
export async function fetchRepoConfig(
  gh: GitHub,
  repo: { owner: string; name: string },
  defaultBranch: string,
): Promise<RepoConfig> {
  let text: string;
  try {
    const { data } = await gh.rest.repos.getContent({
      owner: repo.owner,
      repo: repo.name,
      path: CONFIG_PATH,
      ref: defaultBranch,
    });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) {
      throw new ConfigError(
        `${CONFIG_PATH} on ${defaultBranch} is not a file; make it a YAML file or remove it`,
      );
    }
    text = Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if (httpStatus(error) === 404) return defaultConfig();
    throw error;
  }
  const parsed = loadConfig(text);
  if (!parsed.ok) {
    throw new ConfigError(`${CONFIG_PATH} on ${defaultBranch} is invalid:\n${formatErrors(parsed.errors)}`);
  }
  return parsed.value;
}

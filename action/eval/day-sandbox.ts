/**
 * A sandbox holding the repository as it was at an instance's base commit: seeded from a clone
 * with that commit and its ancestors only, its setup commands run under the repository's setup
 * network. The same for validation, the agent's turn and grading.
 */
import { rm } from "node:fs/promises";
import { dirname } from "node:path";
import { CONFIG_PATH, defaultConfig, loadConfig, type RepoConfig } from "../../core/config.ts";
import { createSandbox, type DockerSandbox } from "../sandbox/index.ts";
import { cloneAtCommit, fileAt } from "./repo-history.ts";

export interface DaySandboxOptions {
  repo: string;
  commit: string;
  image: string;
  taskId: string;
}

export interface DaySandbox {
  sandbox: DockerSandbox;
  /** `.github/agent.yml` at that commit (defaults when absent or invalid). */
  config: RepoConfig;
  /** Removes the sandbox and the clone. */
  dispose(): Promise<void>;
}

async function configAt(repo: string, commit: string): Promise<RepoConfig> {
  const text = await fileAt(repo, commit, CONFIG_PATH);
  const parsed = text === null ? undefined : loadConfig(text);
  return parsed?.ok ? parsed.value : defaultConfig();
}

export async function openDaySandbox(options: DaySandboxOptions): Promise<DaySandbox> {
  const config = await configAt(options.repo, options.commit);
  const clone = await cloneAtCommit(options.repo, options.commit);
  let sandbox: DockerSandbox | undefined;
  try {
    sandbox = await createSandbox({
      image: options.image,
      taskId: options.taskId,
      network: config.sandbox.network.agent,
      memoryMb: config.sandbox.memoryMb,
      cpus: config.sandbox.cpus,
      pids: config.sandbox.pids,
    });
    await sandbox.seed(clone);
  } catch (error) {
    await sandbox?.destroy().catch(() => {});
    throw error;
  } finally {
    await rm(dirname(clone), { recursive: true, force: true });
  }
  const opened = sandbox;
  return { sandbox: opened, config, dispose: () => opened.destroy() };
}

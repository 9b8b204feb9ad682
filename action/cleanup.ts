import * as core from "@actions/core";
import Docker from "dockerode";
import { parseTask } from "../core/task.ts";
import { createGitHubClient, type GitHub } from "./github/client.ts";
import { StatusComment } from "./github/status-comment.ts";
import { taskTokenSource } from "./github/task-token.ts";
import { parseSettings } from "./job/settings.ts";
import { messageOf } from "./job/task-errors.ts";
import { removeSandboxInstance, sandboxInstanceOf } from "./leftover-cleaner.ts";
import { type SavedState, STATE_KEY } from "./pipeline/github/saved-state.ts";

export interface CleanupDeps {
  github(token: string, baseUrl: string): GitHub;
  removeContainer(id: string): Promise<void>;
  /** `core.getIDToken`, for a task token from the App's exchange (app-url). */
  idToken?(audience: string): Promise<string>;
  log: { info(message: string): void; warning(message: string): void };
}

export const INTERRUPTED_TEXT =
  "failed: the job ended before the task finished (cancelled, timed out, or the runner stopped). Nothing was published; run the command again.";

/**
 * The post step: whatever happened in main, the container is gone and the status comment is in a
 * terminal state. Main records what it created with `saveState`; an empty state means main never
 * got that far and there is nothing to clean.
 */
export async function cleanUp(
  raw: string,
  readInput: (name: string) => string,
  deps: CleanupDeps,
): Promise<void> {
  if (!raw) return;
  const state = JSON.parse(raw) as SavedState;
  if (state.containerId) {
    await deps
      .removeContainer(state.containerId)
      .then(() => deps.log.info(`removed sandbox ${state.containerId}`))
      .catch((error) =>
        deps.log.warning(`could not remove sandbox ${state.containerId}: ${messageOf(error)}`),
      );
  }
  if (state.finished || state.statusCommentId === undefined) return;
  const settings = parseSettings(readInput, core.setSecret);
  if (settings.source.kind !== "task") return;
  const parsed = parseTask(settings.source.json);
  if (!parsed.ok) return;
  const env = settings.env;
  const runUrl = `${env.serverUrl}/${env.repository}/actions/runs/${env.runId}`;
  const status = new StatusComment({
    gh: deps.github(
      await taskTokenSource(settings.token, {
        appId: settings.appId,
        repository: `${parsed.value.repo.owner}/${parsed.value.repo.name}`,
        kind: parsed.value.kind,
        apiUrl: env.apiUrl,
        ...(deps.idToken ? { idToken: deps.idToken } : {}),
        onToken: core.setSecret,
      }).current(),
      env.apiUrl,
    ),
    task: { ...parsed.value, statusCommentId: state.statusCommentId },
    runUrl,
    run: env.runId > 0 && env.repository ? { id: env.runId, repo: env.repository, url: runUrl } : undefined,
    warn: deps.log.warning,
    resultApart: false,
  });
  // Written only over a comment still queued or running (core/status-state.ts): main may have
  // written its result and died before saving that it had.
  await status.finish("failed", INTERRUPTED_TEXT);
}

export async function runPost(): Promise<void> {
  try {
    await cleanUp(core.getState(STATE_KEY), (name) => core.getInput(name), {
      github: (token, baseUrl) => createGitHubClient({ token, baseUrl }),
      idToken: (audience) => core.getIDToken(audience),
      removeContainer: async (id) => {
        const instance = await sandboxInstanceOf(id);
        try {
          await new Docker().getContainer(id).remove({ force: true, v: true });
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        }
        // The allowlist proxy, its network and the workspace volume carry the sandbox's instance label.
        if (instance) await removeSandboxInstance(instance);
      },
      log: { info: core.info, warning: core.warning },
    });
  } catch (error) {
    core.warning(`cleanup: ${messageOf(error)}`);
  }
}

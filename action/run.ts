import * as core from "@actions/core";
import { runAgent } from "./agent/run-agent.ts";
import { executeTask } from "./execute-task.ts";
import { createGitHubClient } from "./github/client.ts";
import { neutraliseForLog } from "./job/job-log.ts";
import { parseSettings, type Settings } from "./job/settings.ts";
import { messageOf } from "./job/task-errors.ts";
import { cleanLeftoversBeforeTask } from "./leftover-cleaner.ts";
import { loadRemoteServers } from "./mcp/remote-servers.ts";
import { loadModelProfiles, resolveModelProfile } from "./model/profiles.ts";
import type { RunDeps } from "./pipeline/github/run-deps.ts";
import { createSandbox, ownerOf } from "./sandbox/index.ts";
import { runnerKeeperPid, WarmPool } from "./sandbox/pool/index.ts";

async function resolveModel(settings: Settings, profile: string) {
  const profiles = settings.model.profilesFile
    ? await loadModelProfiles(settings.model.profilesFile)
    : undefined;
  return resolveModelProfile(profile, { profiles, overrides: settings.model.overrides });
}

export function defaultDeps(settings: Settings, signal?: AbortSignal, pool?: WarmPool): RunDeps {
  return {
    signal,
    github: (token, baseUrl) =>
      createGitHubClient({ token, baseUrl, retry: { requestTimeoutMs: settings.githubTimeoutMs } }),
    idToken: (audience) => core.getIDToken(audience),
    createSandbox: (options) => (pool ? pool.acquire(options) : createSandbox(options)),
    runAgent,
    resolveModel,
    remoteUrl: (owner, name) => `${settings.env.serverUrl}/${owner}/${name}.git`,
    saveState: core.saveState,
    summary: process.env.GITHUB_STEP_SUMMARY ? core.summary : undefined,
    log: {
      info: core.info,
      warning: core.warning,
      group: (title, body) => {
        core.startGroup(title);
        core.info(body);
        core.endGroup();
      },
    },
    mask: core.setSecret,
    remoteMcpServers: async () =>
      settings.mcpServersFile ? loadRemoteServers(settings.mcpServersFile, process.env) : {},
  };
}

/** The action's main step: one task, start to finish; any failure ends in `setFailed`. */
export async function run(): Promise<void> {
  try {
    const settings = parseSettings((name) => core.getInput(name), core.setSecret);
    await cleanLeftoversBeforeTask(settings, { info: core.info, warning: core.warning });
    // The runner signals a cancelled job before it kills the step; stop the loop and report it.
    const cancel = new AbortController();
    for (const name of ["SIGINT", "SIGTERM"] as const) process.once(name, () => cancel.abort());
    // The pool belongs to the runner service, which outlives this job: the next job claims its refill.
    const pool = new WarmPool({
      size: settings.sandboxPool,
      keeper: ownerOf(runnerKeeperPid()),
      log: { warning: core.warning },
    });
    const outcome = await executeTask(settings, defaultDeps(settings, cancel.signal, pool));
    await pool.settle();
    core.setOutput("state", outcome.state);
    core.setOutput("pr-number", outcome.prNumber ?? "");
    core.setOutput("pr-url", outcome.prUrl ?? "");
    core.setOutput("verification", outcome.verification);
    core.setOutput("tokens", outcome.tokens);
    if (outcome.state === "failed" || outcome.state === "cancelled") core.setFailed(outcome.message);
    else core.info(outcome.message);
  } catch (error) {
    // The run could not even start its task: it failed, and says so in its outputs too.
    core.setOutput("state", "failed");
    core.setFailed(neutraliseForLog(messageOf(error)));
  }
}

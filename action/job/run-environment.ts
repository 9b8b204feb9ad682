import { tmpdir } from "node:os";

/** The run's environment, as the runner sets it. */
export interface RunEnvironment {
  serverUrl: string;
  apiUrl: string;
  /** Repository the workflow runs in (the target, or a central runner repository). */
  repository: string;
  runId: number;
  /** What started this run, as the runner reports it (never the task text): the authenticity check reads it. */
  event: string;
  /** Who started it (`GITHUB_TRIGGERING_ACTOR`): the App's bot for every task the App dispatched. */
  triggeringActor: string;
  runnerName: string;
  runnerTemp: string;
  runAttempt: number;
}

export function runEnvironment(env: NodeJS.ProcessEnv): RunEnvironment {
  const serverUrl = (env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/+$/, "");
  return {
    serverUrl,
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    repository: env.GITHUB_REPOSITORY ?? "",
    runId: Number(env.GITHUB_RUN_ID ?? 0),
    event: env.GITHUB_EVENT_NAME ?? "",
    triggeringActor: env.GITHUB_TRIGGERING_ACTOR ?? env.GITHUB_ACTOR ?? "",
    runnerName: env.RUNNER_NAME ?? "this runner",
    runnerTemp: env.RUNNER_TEMP ?? tmpdir(),
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? 1),
  };
}

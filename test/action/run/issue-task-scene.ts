/**
 * The GitHub side of one `fix-issue` task, on the local GitHub: acme/widgets holding a fixture's
 * tree and its `.github/agent.yml`, issue #12 opened by bob, and the App's status comment on it for a
 * task alice (write) asked for. The action runs against it as on a runner: its API, git remote and
 * server URL are the local GitHub's, its token an installation token with a task's permissions.
 * Shared by the action's run-through, the `action` bench and the security catalogue.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createGitHubClient } from "../../../action/github/client.ts";
import { parseSettings, type Settings } from "../../../action/job/settings.ts";
import type { RunDeps } from "../../../action/pipeline/github/run-deps.ts";
import type { Task } from "../../../core/task.ts";
import { taskTokenPermissions } from "../../../core/task-token-permissions.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import type { IssueRecord, RepoRecord } from "../../e2e/local-github/state.ts";
import {
  APP_DISPATCHED_RUN,
  APP_ID_INPUT,
  appStatusComment,
  TEST_APP,
} from "../../helpers/app-status-comment.ts";
import { makeTask, noWaitRetry } from "../github/fixtures.ts";

export const ISSUE_NUMBER = 12;

export interface IssueTaskSceneOptions {
  /** A git work tree whose tracked files are the repository's default branch. */
  tree: string;
  /** The text of `.github/agent.yml`, committed with the tree. */
  config: string;
  issue: { title: string; body: string };
  /** The text of the runner's installation token: a canary the test searches for afterwards. */
  token: string;
}

export interface IssueTaskScene {
  github: LocalGitHub;
  repo: RepoRecord;
  issue: IssueRecord;
  task: Task;
  token: string;
  /** The action's settings for this task, as the workflow passes them, plus `inputs`. */
  settings(runnerTemp: string, runnerName: string, inputs: Record<string, string>): Settings;
  /** The runner-side dependencies that point at the local GitHub: its API and its git remote. */
  deps: Pick<RunDeps, "github" | "remoteUrl">;
  close(): Promise<void>;
}

function trackedFiles(tree: string): Record<string, string> {
  const paths = execFileSync("git", ["-C", tree, "ls-files", "-z"], { encoding: "utf8" }).split("\0");
  return Object.fromEntries(
    paths.filter(Boolean).map((path) => [path, readFileSync(join(tree, path), "utf8")]),
  );
}

/**
 * The App's status comment for `task` on its thread, as the App writes it when it dispatches the
 * task (its bot, through the installation, so GitHub names the App in `performed_via_github_app`);
 * returns the task naming that comment, which is what the action's authenticity check reads first.
 */
export function postAppStatusComment(github: LocalGitHub, thread: IssueRecord, task: Task): Task {
  const status = github.state.createComment(
    thread,
    appStatusComment(task).body,
    github.state.user(`${TEST_APP.slug}[bot]`, "Bot"),
    true,
  );
  return { ...task, statusCommentId: status.id };
}

export async function startIssueTaskScene(options: IssueTaskSceneOptions): Promise<IssueTaskScene> {
  const github = await LocalGitHub.start({ owner: "acme", app: TEST_APP });
  const repo = await github.createRepo("widgets", {
    ...trackedFiles(options.tree),
    ".github/agent.yml": options.config,
  });
  github.addCollaborator(repo, "alice", "write");
  // Issue numbers count from 1 per repository; #12 keeps the branch, audit and PR names readable.
  repo.nextNumber = ISSUE_NUMBER;
  const issue = github.openIssue(repo, { ...options.issue, user: "bob" });
  const task = postAppStatusComment(github, issue, makeTask({ number: issue.number }));
  const token = github.canaryInstallationToken(options.token, {
    permissions: taskTokenPermissions(task.kind),
    repositories: [repo.name],
  });
  return {
    github,
    repo,
    issue,
    task,
    token,
    settings: (runnerTemp, runnerName, inputs) => {
      const all: Record<string, string> = {
        task: JSON.stringify(task),
        "github-token": token,
        ...APP_ID_INPUT,
        ...inputs,
      };
      return parseSettings(
        (name) => all[name] ?? "",
        () => {},
        {
          ...APP_DISPATCHED_RUN,
          GITHUB_REPOSITORY: "acme/widgets",
          GITHUB_SERVER_URL: github.url,
          GITHUB_API_URL: github.url,
          GITHUB_RUN_ID: "4242",
          RUNNER_TEMP: runnerTemp,
          RUNNER_NAME: runnerName,
        },
      );
    },
    deps: {
      github: (token) => createGitHubClient({ token, baseUrl: github.url, retry: noWaitRetry }),
      remoteUrl: (owner, name) => `${github.url}/${owner}/${name}.git`,
    },
    close: () => github.close(),
  };
}

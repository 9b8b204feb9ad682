/**
 * The GitHub side of one `fix-issue` task on acme/widgets #12, asked by alice (write): what the
 * action reads before it works and the status comment it edits. Shared by the action's run-through
 * and the security catalogue, which add the routes their cases need.
 */
import type { Task } from "../../../core/task.ts";
import { appStatusComment } from "../../helpers/app-status-comment.ts";
import { makeTask } from "../github/fixtures.ts";
import type { Route } from "./fake-github.ts";

export const ISSUE_REPO_PATH = "/repos/acme/widgets";

export interface IssueTaskRouteOptions {
  /** The text of `.github/agent.yml` on the default branch. */
  config: string;
  issue: { title: string; body: string };
  /** The task the App's status comment 900 describes (default `makeTask()`). */
  task?: Task;
}

export function issueTaskRoutes(options: IssueTaskRouteOptions): Route[] {
  const repo = ISSUE_REPO_PATH;
  return [
    ["GET", new RegExp(`^${repo}$`), () => ({ status: 200, body: { default_branch: "main" } })],
    [
      "GET",
      /\/contents\/\.github\/agent\.yml/,
      () => ({
        status: 200,
        body: { type: "file", encoding: "base64", content: Buffer.from(options.config).toString("base64") },
      }),
    ],
    [
      "GET",
      /\/collaborators\/alice\/permission$/,
      () => ({ status: 200, body: { permission: "write", role_name: "write" } }),
    ],
    [
      "GET",
      new RegExp(`^${repo}/issues/12$`),
      () => ({ status: 200, body: { ...options.issue, state: "open", user: { login: "bob" } } }),
    ],
    ["GET", new RegExp(`^${repo}/issues/12/comments`), () => ({ status: 200, body: [] })],
    ["PATCH", new RegExp(`^${repo}/issues/comments/900$`), () => ({ status: 200, body: { id: 900 } })],
    // The App's status comment: its author is the bot the commits are attributed to.
    [
      "GET",
      new RegExp(`^${repo}/issues/comments/900$`),
      () => ({ status: 200, body: appStatusComment(options.task ?? makeTask()) }),
    ],
  ];
}

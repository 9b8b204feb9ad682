import { ProbotOctokit } from "probot";
import { writeOncePlugin } from "../core/github/write-once.ts";

/**
 * The App's Octokit: Probot's (plugin-retry and plugin-throttling) with the write-once rule the
 * action's client follows (`core/github/write-once.ts`). Without it, plugin-retry repeats a POST
 * GitHub answered with 5xx after doing the work: a second status comment, or a second workflow run
 * for one task.
 */
export const AppOctokit = ProbotOctokit.plugin(writeOncePlugin);

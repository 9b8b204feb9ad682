import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type PhaseEvent, watchScenario } from "../test/e2e/helpers/phase-watch.ts";
import { SCENARIO_ONE_ISSUE, scenarioOneScript, systemWithWidget } from "../test/e2e/helpers/scenario-one.ts";
import { runLogs } from "../test/e2e/helpers/system-assertions.ts";
import type { WholeSystem } from "../test/e2e/helpers/whole-system.ts";
import type { RepoRecord } from "../test/e2e/local-github/state.ts";

export interface DemoResult {
  prOpened: boolean;
  prNumber?: number;
  events: PhaseEvent[];
  /** From the label webhook to the PR being seen on the local GitHub, in seconds. */
  webhookToPrS?: number;
}

const git = promisify(execFile);
const rule = (title: string) => `\n── ${title} ${"─".repeat(Math.max(0, 70 - title.length))}`;

/**
 * Scenario 1 of issue 7 with a person watching: the local GitHub, the real App, a runner executing
 * the committed action bundle, the Docker sandbox and a scripted model. Prints each phase as it
 * happens, then the PR and its diff. `print` is where every line goes (the terminal, or a test).
 */
export interface DemoOptions {
  /** Runs after the scenario, before the servers close (the dashboard screenshot looks then). */
  whileOpen?: (system: WholeSystem, repo: RepoRecord, result: DemoResult) => Promise<void>;
}

export async function runDemo(
  print: (line: string) => void = console.log,
  options: DemoOptions = {},
): Promise<DemoResult> {
  const started = Date.now();
  const { system, repo } = await systemWithWidget();
  try {
    const issue = system.github.openIssue(repo, SCENARIO_ONE_ISSUE);
    print(rule("setup"));
    print(
      `local GitHub   ${system.github.url} (repository ${repo.owner.login}/${repo.name}, its test fails)`,
    );
    print(`scripted model ${system.model.baseUrl} (answers read_file, edit_file, run, finish)`);
    print(`issue #${issue.number} "${issue.title}" by ${SCENARIO_ONE_ISSUE.user} (write permission)`);
    print(rule(`alice labels issue #${issue.number} \`agent\``));
    system.model.push(...scenarioOneScript());
    const t0 = Date.now();
    const watch = watchScenario(system, repo, issue, (e) =>
      print(`+${((e.at - t0) / 1000).toFixed(2).padStart(6)}s  ${e.phase.padEnd(22)} ${e.text}`),
    );
    await system.github.labelIssue(issue, "agent", SCENARIO_ONE_ISSUE.user);
    await system.settle();
    await watch.stop();

    const pull = system.github.pulls(repo)[0];
    if (!pull) {
      print(rule("no pull request was opened; the runner's log follows"));
      print(runLogs(system));
      return { prOpened: false, events: watch.events };
    }
    print(rule(`pull request #${pull.number}`));
    print(`title: ${pull.title}`);
    print(`branch: ${pull.pull.headRef} → ${pull.pull.baseRef}`);
    print("");
    print(pull.body ?? "");
    print(rule("diff (from the local GitHub's git repository)"));
    const { stdout } = await git("git", [
      `--git-dir=${repo.gitDir}`,
      "diff",
      `${pull.pull.baseRef}...${pull.pull.headRef}`,
    ]);
    print(stdout.trimEnd());
    const opened = watch.events.find((e) => e.phase === "PR opened");
    const webhookToPrS = opened ? (opened.at - t0) / 1000 : undefined;
    print(rule("timing"));
    print(`label webhook → PR opened: ${webhookToPrS?.toFixed(1)} s`);
    print(
      `whole demo (servers up, scenario, teardown not counted): ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    const result = { prOpened: true, prNumber: pull.number, events: watch.events, webhookToPrS };
    await options.whileOpen?.(system, repo, result);
    return result;
  } finally {
    await system.close();
  }
}

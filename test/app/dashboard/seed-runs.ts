import type { UsageRecord } from "../../../core/usage-record.ts";
import type { Store } from "../../../store/open-store.ts";
import { appTaskKey, RunHistory } from "../../../store/run-history.ts";

/**
 * Runs recorded through the recording API, as the App records them: `count` in acme/widget
 * (alternating outcomes, actors and kinds, one per hour back from `now`) and a few in acme/secret.
 */
export async function seedRuns(store: Store, now: Date, count = 60): Promise<void> {
  const history = new RunHistory(store.db);
  const record = async (repo: string, i: number) => {
    const [owner, name] = repo.split("/") as [string, string];
    const key = appTaskKey({ owner, name }, 1000 + i);
    const state = i % 4 === 3 ? "failed" : "succeeded";
    await history.recordDispatch({
      key,
      source: "app",
      repo: { owner, name },
      number: 100 + i,
      kind: i % 3 === 0 ? "review" : "fix-issue",
      actor: i % 2 === 0 ? "alice" : "carol",
      event: "issues.labeled",
      delivery: `delivery-${repo}-${i}`,
      statusCommentId: 1000 + i,
      at: new Date(now.getTime() - (i + 1) * 3_600_000),
    });
    const usage: UsageRecord = {
      outcome: state === "failed" ? "budget" : "finished",
      turns: 5 + (i % 7),
      tokens: { prompt: 20_000 + i * 100, completion: 1_500 },
      phases: [
        { name: "provisioning", seconds: 6 },
        { name: "working", seconds: 40 + i },
        { name: "verifying", seconds: 8 },
        { name: "publishing", seconds: 3 },
      ],
      verification: state === "failed" ? "failed" : "passed",
      profile: i % 2 === 0 ? "large" : "fast",
      cost: 0.02 + i / 1000,
      runner: "runner-1",
      ...(state === "succeeded" && i % 3 !== 0
        ? { pr: 500 + i, link: `https://github.example/${repo}/pull/${500 + i}` }
        : {}),
    };
    await history.recordWorkflowRun(key, {
      id: 9000 + i,
      repo,
      url: `https://github.example/${repo}/actions/runs/${9000 + i}`,
      conclusion: state === "failed" ? "failure" : "success",
    });
    await history.recordOutcome(key, { state, reason: `${state}: run ${i}`, usage });
    if (usage.pr && i % 2 === 1) await history.recordPullClosed({ owner, name }, usage.pr, true, now);
  };
  for (let i = 0; i < count; i++) await record("acme/widget", i);
  for (let i = 0; i < 3; i++) await record("acme/secret", i);
}

import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../core/config.ts";
import { runnerRepoOf, runnerRepoRefusal, withDefaultRunnerRepo } from "../../core/runner-repository.ts";

const widgets = { owner: "acme", name: "widgets" };

describe("withDefaultRunnerRepo (the App's side)", () => {
  it("fills in the App-wide default where the repository names no dispatch.repo", () => {
    const config = withDefaultRunnerRepo(defaultConfig(), "acme/agent-runners");
    expect(config.dispatch.repo).toBe("acme/agent-runners");
    expect(runnerRepoOf(config, widgets)).toBe("acme/agent-runners");
  });

  it("keeps the repository's own dispatch.repo over the default", () => {
    const own = defaultConfig();
    own.dispatch.repo = "acme/gpu-runners";
    expect(withDefaultRunnerRepo(own, "acme/agent-runners").dispatch.repo).toBe("acme/gpu-runners");
  });

  it("without a default, a repository runs its own workflow", () => {
    expect(runnerRepoOf(withDefaultRunnerRepo(defaultConfig(), undefined), widgets)).toBe("acme/widgets");
  });
});

describe("runnerRepoRefusal (the action's side)", () => {
  const target = "acme/widgets";

  it("accepts the task's own repository and the one its config names", () => {
    expect(runnerRepoRefusal({ target, here: "acme/widgets" })).toBeUndefined();
    expect(runnerRepoRefusal({ target, here: "ACME/runners", configured: "acme/runners" })).toBeUndefined();
  });

  it("accepts the App-wide default only when the App's confirmed comment names this repository", () => {
    expect(runnerRepoRefusal({ target, here: "acme/runners", dispatchedTo: "acme/runners" })).toBeUndefined();
    const refusal = runnerRepoRefusal({ target, here: "acme/runners" });
    expect(refusal).toContain("set dispatch.repo: acme/runners in acme/widgets's .github/agent.yml");
    expect(refusal).toContain("INHOUSE_DEFAULT_RUNNER_REPO=acme/runners");
    expect(runnerRepoRefusal({ target, here: "evil/runner", dispatchedTo: "acme/runners" })).toContain(
      "does not name it",
    );
  });

  it("the repository's own config overrides what the comment says", () => {
    const refusal = runnerRepoRefusal({
      target,
      here: "acme/runners",
      configured: "acme/gpu-runners",
      dispatchedTo: "acme/runners",
    });
    expect(refusal).toContain("names acme/gpu-runners as its runner repository");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryGit } from "../../../action/github/retry-policy.ts";
import { PushRejectedError, pushHead } from "../../../action/publish/push.ts";
import { gitAuth } from "../../../action/workspace/auth-header.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import { GitClient } from "../../e2e/rules/git-client.ts";

let attempts = 0;
const countingRetry = <T>(work: () => Promise<T>, isRetryable: (e: unknown) => boolean) =>
  retryGit(
    () => {
      attempts++;
      return work();
    },
    isRetryable,
    { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  );

describe("a push the token may not make", () => {
  let github: LocalGitHub;

  beforeAll(async () => {
    // An App whose manifest still says contents: read, as app.yml did before issue 11.
    github = await LocalGitHub.start({
      owner: "acme",
      manifest: { text: "default_permissions:\n  contents: read\n  issues: write\n  pull_requests: write\n" },
    });
    await github.createRepo("widget", { "README.md": "# widget\n" });
  });

  afterAll(async () => {
    await github?.close();
  });

  it("fails once, without retrying, with advice that names Contents: write", async () => {
    const token = github.installationToken();
    const client = await GitClient.clone(github, "widget", token);
    await client.commit({ "fix.txt": "fixed\n" }, "fix");
    const target = {
      dir: client.dir,
      auth: gitAuth(token, github.url),
      branch: "agent/fix-issue-1-a",
      defaultBranch: "main",
      allowed: { prefix: "agent/" },
    };
    const error = await pushHead(target, countingRetry).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(PushRejectedError);
    expect(error?.message).toMatch(/403 \(permission to acme\/widget\.git denied to inhouse-test\[bot\]\)/);
    expect(error?.message).toContain('"Contents: Read and write" (contents: write in app.yml)');
    expect(error?.message).not.toContain(token);
    expect(attempts).toBe(1);
    expect((await github.branches(github.state.repo("acme", "widget")!)).has(target.branch)).toBe(false);
  });
});

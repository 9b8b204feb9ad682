import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { retryGit } from "../../../action/github/retry-policy.ts";
import { PushRejectedError, pushHead } from "../../../action/publish/push.ts";
import { gitAuth } from "../../../action/workspace/auth-header.ts";
import { cloneWorkspace } from "../../../action/workspace/clone.ts";
import { updateMirror } from "../../../action/workspace/mirror.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import { createOrigin, sh } from "../workspace/origin.ts";
import { commitPatch } from "./commit-patch.ts";

let github: LocalGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const fastRetry = <T>(work: () => Promise<T>, isRetryable: (e: unknown) => boolean) =>
  retryGit(work, isRetryable, { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 });

async function workspace(
  remoteUrl: string,
  branch: string,
  localBranch: string,
  token = "ghs_pushtoken0123456789",
) {
  const auth = gitAuth(token, remoteUrl.replace(/\/[^/]*\/[^/]*$/, ""));
  const cache = await mkdtemp(join(tmpdir(), "inhouse-cache-"));
  const mirror = await updateMirror({ cacheDir: cache, owner: "o", name: "repo", remoteUrl, auth });
  const dir = join(await mkdtemp(join(tmpdir(), "inhouse-ws-")), "repo");
  await cloneWorkspace({ mirror, remoteUrl, dir, branch, localBranch });
  return { dir, auth };
}

async function patchFor(dir: string, path: string, content: string): Promise<string> {
  const scratch = join(await mkdtemp(join(tmpdir(), "inhouse-scratch-")), "copy");
  sh(tmpdir(), "clone", "-q", dir, scratch);
  await writeFile(join(scratch, path), content);
  sh(scratch, "add", "-A");
  return sh(scratch, "diff", "--cached", "--binary", "HEAD");
}

const author = { name: "inhouse[bot]", email: "inhouse[bot]@users.noreply.github.com" };

describe("commit and push", () => {
  it("commits the sandbox patch with the bot as author and trailers naming the task, then pushes", async () => {
    const origin = await createOrigin({ "src/a.txt": "one\n" });
    const { dir, auth } = await workspace(origin.url, "main", "agent/fix-issue-3-a");
    const patch = await patchFor(dir, "src/a.txt", "two\n");
    const sha = await commitPatch({
      dir,
      patch,
      subject: "Fix #3: a is wrong",
      body: "Changed one to two.",
      trailers: { "Inhouse-Task": "fix-issue #3", "Inhouse-Delivery": "d-1" },
      author,
    });
    const log = sh(dir, "log", "-1", "--format=%an <%ae>%n%B");
    expect(log).toContain("inhouse[bot] <inhouse[bot]@users.noreply.github.com>");
    expect(log).toContain(
      "Fix #3: a is wrong\n\nChanged one to two.\n\nInhouse-Task: fix-issue #3\nInhouse-Delivery: d-1",
    );
    await pushHead(
      { dir, auth, branch: "agent/fix-issue-3-a", defaultBranch: "main", allowed: { prefix: "agent/" } },
      fastRetry,
    );
    expect(sh(origin.bare, "rev-parse", "refs/heads/agent/fix-issue-3-a").trim()).toBe(sha);
    expect(sh(origin.bare, "show", `${sha}:src/a.txt`)).toBe("two\n");
  });

  it("never pushes to the default branch or outside the agent prefix", async () => {
    const target = {
      dir: "/nonexistent",
      auth: gitAuth("t"),
      defaultBranch: "main",
      allowed: { prefix: "agent/" },
    };
    await expect(pushHead({ ...target, branch: "main" }, fastRetry)).rejects.toThrow(/default branch main/);
    await expect(pushHead({ ...target, branch: "release" }, fastRetry)).rejects.toThrow(PushRejectedError);
    await expect(pushHead({ ...target, branch: "agent/" }, fastRetry)).rejects.toThrow(/only to agent\/\*/);
  });

  it("fails clearly, without overwriting, when the PR branch moved since the clone", async () => {
    const origin = await createOrigin({ "a.txt": "a\n" });
    await origin.commit({ "feature.txt": "f1\n" }, "feature", "feature");
    const { dir, auth } = await workspace(origin.url, "feature", "feature");
    const theirs = await origin.commit({ "feature.txt": "f2\n" }, "someone else pushed", "feature");
    await commitPatch({
      dir,
      patch: await patchFor(dir, "a.txt", "b\n"),
      subject: "fix",
      trailers: {},
      author,
    });
    const push = pushHead(
      {
        dir,
        auth,
        branch: "feature",
        defaultBranch: "main",
        allowed: { prefix: "agent/", prBranch: "feature" },
      },
      fastRetry,
    );
    await expect(push).rejects.toThrow(PushRejectedError);
    await expect(push).rejects.toThrow(/branch moved since the task started.*Nothing was overwritten/);
    expect(sh(origin.bare, "rev-parse", "refs/heads/feature").trim()).toBe(theirs);
  });

  it("retries a push the server answered with 502", async () => {
    github = await LocalGitHub.start({ owner: "o" });
    const repo = await github.createRepo("repo", { "a.txt": "a\n" });
    const remoteUrl = `${github.url}/o/repo.git`;
    const { dir, auth } = await workspace(remoteUrl, "main", "agent/x", github.installationToken());
    const sha = await commitPatch({
      dir,
      patch: await patchFor(dir, "a.txt", "z\n"),
      subject: "s",
      trailers: {},
      author,
    });
    github.gitTraffic.fail(1, 502, /git-receive-pack/);
    await pushHead(
      { dir, auth, branch: "agent/x", defaultBranch: "main", allowed: { prefix: "agent/" } },
      fastRetry,
    );
    expect(github.gitTraffic.failures).toBe(1);
    expect(sh(repo.gitDir, "rev-parse", "refs/heads/agent/x").trim()).toBe(sha);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyPushRefusal } from "../../../action/publish/push-refusal.ts";
import { LocalGitHub } from "../local-github/local-github.ts";
import { GitClient } from "./git-client.ts";

const REASON =
  "refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission";

describe("local GitHub: a push that touches .github/workflows needs Workflows: write", () => {
  let github: LocalGitHub;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    await github.createRepo("widget", {
      "README.md": "# widget\n",
      ".github/workflows/ci.yml": "on: push\n",
    });
  });

  afterAll(async () => {
    await github?.close();
  });

  const clone = async () => {
    const token = github.installationToken();
    return { token, client: await GitClient.clone(github, "widget", token) };
  };

  it("refuses the ref with GitHub's text, and the action reads it as the Workflows permission", async () => {
    const { token, client } = await clone();
    await client.commit({ "src/a.js": "a\n" }, "a");
    await client.commit({ ".github/workflows/ci.yml": "on: [push, pull_request]\n" }, "ci");
    const push = await client.push("HEAD:refs/heads/agent/ci", token);
    expect(push.code).not.toBe(0);
    expect(push.output).toContain(`[remote rejected] (${REASON})`);
    expect((await github.branches(github.state.repo("acme", "widget")!)).has("agent/ci")).toBe(false);
    expect(classifyPushRefusal(push.output, "agent/ci")?.kind).toBe("workflows-permission");
  });

  it("lets a push through that leaves workflow files alone, or that branches off commits already there", async () => {
    const { token, client } = await clone();
    expect((await client.push("HEAD:refs/heads/agent/same", token)).code).toBe(0);
    await client.commit({ "src/b.js": "b\n" }, "b");
    expect((await client.push("HEAD:refs/heads/agent/b", token)).code).toBe(0);
  });

  it("lets the workflow change through when the installation has Workflows: write", async () => {
    const withWorkflows = await LocalGitHub.start({
      owner: "acme",
      manifest: { text: "default_permissions:\n  contents: write\n  workflows: write\n" },
    });
    try {
      await withWorkflows.createRepo("widget", { "README.md": "# widget\n" });
      const token = withWorkflows.installationToken();
      const client = await GitClient.clone(withWorkflows, "widget", token);
      await client.commit({ ".github/workflows/ci.yml": "on: push\n" }, "ci");
      const push = await client.push("HEAD:refs/heads/agent/ci", token);
      expect(push.output).not.toContain("remote rejected");
      expect(push.code).toBe(0);
    } finally {
      await withWorkflows.close();
    }
  });
});

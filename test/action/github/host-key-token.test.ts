import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostKeyToken } from "../../../action/github/host-key-token.ts";
import { parseSettings } from "../../../action/job/settings.ts";
import { taskTokenPermissions } from "../../../core/task-token-permissions.ts";
import { octokitFor } from "../../e2e/helpers/octokit.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";

/** Where runners cannot reach the App: the App's key as a file on the runner host (issue #12, item 2). */
describe("app-private-key-file: the task token minted on the runner host", () => {
  let github: LocalGitHub;
  let dir: string;
  let keyFile: string;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    await github.createRepo("widget", { "README.md": "hi\n" });
    await github.createRepo("other", { "README.md": "other\n" });
    dir = await mkdtemp(join(tmpdir(), "host-key-"));
    keyFile = join(dir, "app.pem");
    await writeFile(keyFile, github.app.privateKey, { mode: 0o600 });
  });

  afterAll(async () => {
    await github?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const source = (kind: "review" | "fix-issue", file = keyFile, seen: string[] = []) =>
    new HostKeyToken({
      privateKeyFile: file,
      appId: github.app.id,
      apiUrl: github.url,
      repository: "acme/widget",
      kind,
      onToken: (token) => seen.push(token),
    });

  it("mints a token for the task's one repository with its kind's permissions, and hands it to onToken first", async () => {
    const seen: string[] = [];
    const token = await source("review", keyFile, seen).current();
    expect(seen).toEqual([token]);
    const minted = github
      .requests()
      .filter((r) => r.route === "POST /app/installations/{installation_id}/access_tokens")
      .at(-1);
    expect(minted?.body).toEqual({ repositories: ["widget"], permissions: taskTokenPermissions("review") });
    const gh = octokitFor(github, token);
    expect((await gh.rest.repos.get({ owner: "acme", repo: "widget" })).status).toBe(200);
    await expect(gh.rest.repos.get({ owner: "acme", repo: "other" })).rejects.toMatchObject({ status: 404 });
  });

  it("reuses the token until it nears expiry", async () => {
    const tokens = source("fix-issue");
    expect(await tokens.current()).toBe(await tokens.current());
  });

  it("a missing key file is an error that names the input and the fix", async () => {
    await expect(source("review", join(dir, "missing.pem")).current()).rejects.toThrow(
      /app-private-key-file .*missing\.pem cannot be read .*runner host/,
    );
  });

  it("the inputs take exactly one of app-url, app-private-key-file and github-token", () => {
    const inputs = (more: Record<string, string>) => (name: string) =>
      ({ task: "", automation: "daily", "app-id": "1", "model-api-key": "k", ...more })[name] ?? "";
    const env = { GITHUB_REPOSITORY: "acme/widget", GITHUB_RUN_ID: "1" };
    expect(parseSettings(inputs({ "app-private-key-file": keyFile }), () => {}, env).token).toEqual({
      privateKeyFile: keyFile,
    });
    expect(() =>
      parseSettings(inputs({ "app-private-key-file": keyFile, "github-token": "t" }), () => {}, env),
    ).toThrow(/exactly one, not app-private-key-file and github-token/);
    expect(() => parseSettings(inputs({}), () => {}, env)).toThrow(/set app-url .* app-private-key-file/);
  });
});

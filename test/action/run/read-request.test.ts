import nock from "nock";
import { describe, expect, it } from "vitest";
import { parseSettings } from "../../../action/job/settings.ts";
import { readRequest } from "../../../action/pipeline/github/read-request.ts";
import { API, makeTask, testClient } from "../github/fixtures.ts";

function settingsIn(repository: string) {
  return parseSettings(
    (name) =>
      ({ task: "{}", "github-token": "ghs_x", "app-id": "4242", "allowed-networks": "none" })[name] ?? "",
    () => {},
    { GITHUB_REPOSITORY: repository },
  );
}

function configScope(config: string) {
  return nock(API)
    .get("/repos/acme/widgets")
    .reply(200, { default_branch: "trunk" })
    .get("/repos/acme/widgets/contents/.github%2Fagent.yml")
    .query({ ref: "trunk" })
    .reply(200, { type: "file", encoding: "base64", content: Buffer.from(config).toString("base64") });
}

const deps = {
  resolveModel: async () => ({ baseUrl: "http://m/v1", apiKey: "", model: "m" }),
  mask: () => {},
};

describe("readRequest", () => {
  it("refuses a task dispatched from a repository the target did not name as its runner repository", async () => {
    const scope = configScope("trigger:\n  label: agent\n");
    await expect(readRequest(testClient(), makeTask(), settingsIn("evil/runner"), deps)).rejects.toThrow(
      /runs in evil\/runner, but acme\/widgets does not name it.*dispatch\.repo: evil\/runner/,
    );
    expect(scope.isDone()).toBe(true);
  });

  it("accepts the central runner repository named in dispatch.repo, reading the config from the default branch", async () => {
    const scope = configScope("dispatch:\n  repo: acme/agent-runner\n")
      .get("/repos/acme/widgets/collaborators/alice/permission")
      .reply(200, { permission: "admin", role_name: "admin" })
      .get("/repos/acme/widgets/issues/12")
      .reply(200, { title: "T", body: "B", state: "open", user: { login: "bob" } })
      .get("/repos/acme/widgets/issues/12/comments")
      .query(true)
      .reply(200, []);
    const request = await readRequest(testClient(), makeTask(), settingsIn("acme/agent-runner"), deps);
    expect(request).toMatchObject({ defaultBranch: "trunk", text: { kind: "fix-issue", title: "T" } });
    expect(scope.isDone()).toBe(true);
  });
  it("accepts the App-wide default runner repository for a repository with no config, when the App's comment names it", async () => {
    const scope = nock(API)
      .get("/repos/acme/widgets")
      .reply(200, { default_branch: "trunk" })
      .get("/repos/acme/widgets/contents/.github%2Fagent.yml")
      .query({ ref: "trunk" })
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/widgets/collaborators/alice/permission")
      .reply(200, { permission: "admin", role_name: "admin" })
      .get("/repos/acme/widgets/issues/12")
      .reply(200, { title: "T", body: "B", state: "open", user: { login: "bob" } })
      .get("/repos/acme/widgets/issues/12/comments")
      .query(true)
      .reply(200, []);
    const settings = settingsIn("acme/agent-runners");
    const request = await readRequest(testClient(), makeTask(), settings, deps, "acme/agent-runners");
    expect(request.config.dispatch.repo).toBeUndefined();
    expect(scope.isDone()).toBe(true);
  });

  it("refuses the same run when the App's comment names no runner repository (the task text cannot)", async () => {
    nock(API)
      .get("/repos/acme/widgets")
      .reply(200, { default_branch: "trunk" })
      .get("/repos/acme/widgets/contents/.github%2Fagent.yml")
      .query({ ref: "trunk" })
      .reply(404, { message: "Not Found" });
    await expect(
      readRequest(testClient(), makeTask(), settingsIn("acme/agent-runners"), deps),
    ).rejects.toThrow(/INHOUSE_DEFAULT_RUNNER_REPO=acme\/agent-runners/);
  });
});

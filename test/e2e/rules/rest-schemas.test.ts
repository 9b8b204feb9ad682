import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "../helpers/octokit.ts";
import { calledOperations } from "../local-github/called-operations.ts";
import { LocalGitHub } from "../local-github/local-github.ts";
import { checkRequestBody, restSchemas } from "../local-github/rest-schemas.ts";
import { ROUTE_PERMISSIONS } from "../local-github/route-permissions.ts";

const ROOT = join(import.meta.dirname, "../../..");

describe("request bodies against GitHub's REST description", () => {
  it("has the schema of every operation the App and the action call (run scripts/extract-rest-schemas.ts when this fails)", async () => {
    const called = await calledOperations(ROOT);
    expect(called.map((op) => op.route)).toContain("POST /repos/{owner}/{repo}/pulls");
    const missing = called.filter((op) => !(op.route in restSchemas().operations));
    expect(missing).toEqual([]);
  });

  it("has the schema of every route the local GitHub serves", () => {
    const missing = Object.keys(ROUTE_PERMISSIONS).filter((route) => !(route in restSchemas().operations));
    expect(missing).toEqual([]);
  });

  it("comes from the same REST description as the route types (@octokit/openapi-types)", async () => {
    const types = JSON.parse(
      await readFile(join(ROOT, "node_modules/@octokit/openapi-types/package.json"), "utf8"),
    ) as { octokit: { "openapi-version": string } };
    expect(restSchemas().source).toContain(`@octokit/openapi@${types.octokit["openapi-version"]} `);
  });

  it("names an operation the code calls that is not in the file", () => {
    expect(checkRequestBody("POST /repos/{owner}/{repo}/not-an-operation", {})).toEqual({
      ok: false,
      status: "unknown-operation",
    });
  });

  describe("on the wire", () => {
    let github: LocalGitHub;

    beforeAll(async () => {
      github = await LocalGitHub.start({ owner: "acme" });
      const repo = await github.createRepo("widget", { "README.md": "# widget\n" });
      github.openIssue(repo, { title: "t", user: "alice" });
    });

    afterAll(async () => {
      await github?.close();
    });

    const post = (route: string, body: unknown) =>
      fetch(`${github.url}${route}`, {
        method: "POST",
        headers: { authorization: `token ${github.installationToken()}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    it("refuses a missing required field with GitHub's 422 'wasn't supplied'", async () => {
      const response = await post("/repos/acme/widget/issues/1/comments", {});
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({
        message: 'Invalid request.\n\n"body" wasn\'t supplied.',
        documentation_url: "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
      });
    });

    it("refuses a value outside an enum and a wrong type, one line each", async () => {
      const bot = octokitFor(github, github.installationToken());
      await expect(
        bot.rest.reactions.createForIssue({
          owner: "acme",
          repo: "widget",
          issue_number: 1,
          content: "thumbsup" as "+1",
        }),
      ).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining("For 'properties/content', \"thumbsup\" is not one of"),
      });
      const response = await post("/repos/acme/widget/issues/1/comments", { body: 42 });
      expect(((await response.json()) as { message: string }).message).toBe(
        "Invalid request.\n\nFor 'properties/body', 42 is not a string.",
      );
      expect(github.violations()).toEqual([]);
    });
  });
});

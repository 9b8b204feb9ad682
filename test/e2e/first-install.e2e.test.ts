import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDocker } from "../helpers/docker.ts";
import { SCENARIO_ONE_ISSUE, scenarioOneScript, systemWithWidget } from "./helpers/scenario-one.ts";
import { expectCleanSystem, runLogs, statusComments } from "./helpers/system-assertions.ts";
import type { WholeSystem } from "./helpers/whole-system.ts";
import { PROJECT_MANIFEST } from "./local-github/app-manifest.ts";
import type { RepoRecord } from "./local-github/state.ts";

/**
 * Issue 11's first problem, end to end: the App installed from a manifest that grants contents: read
 * (what app.yml said before), the runner's token minted from that installation with no narrowing
 * (what the template did: create-github-app-token without permission inputs carries exactly the
 * installation's permissions). Before the fix the push failed and the status told the user the branch
 * had moved and to rerun, which fails the same way.
 */
const SCENARIO_TIMEOUT_MS = 180_000;

describeDocker("first install: an App without contents: write", () => {
  let system: WholeSystem;
  let repo: RepoRecord;

  beforeAll(async () => {
    const manifest = (await readFile(PROJECT_MANIFEST, "utf8")).replace(
      /^ {2}contents: write$/m,
      "  contents: read",
    );
    ({ system, repo } = await systemWithWidget({
      manifest: { text: manifest },
      runnerToken: (github, run) => github.installationToken({ repositories: [run.repo.name] }),
    }));
  });

  afterAll(async () => {
    await system?.close();
  });

  it(
    "publishing fails with advice that names Contents: write, and leaves no PR and no branch",
    async () => {
      expect(system.github.installation.permissions.contents).toBe("read");
      const issue = system.github.openIssue(repo, SCENARIO_ONE_ISSUE);
      system.model.push(...scenarioOneScript());
      await system.github.labelIssue(issue, "agent", "alice");
      await system.settle();

      const [status] = statusComments(system, issue);
      expect(status?.marker.state, runLogs(system)).toBe("failed");
      expect(status?.text).toContain("failed while publishing");
      expect(status?.text).toContain("the token has no Contents: write permission");
      expect(status?.text).toContain('"Contents: Read and write" (contents: write in app.yml)');
      expect(status?.text).not.toMatch(/branch moved/);
      expect(system.github.pulls(repo)).toEqual([]);
      expect([...(await system.github.branches(repo)).keys()]).toEqual(["main"]);
      expect(system.github.state.runs.map((run) => run.conclusion)).toEqual(["failure"]);
      await expectCleanSystem(system, repo);
    },
    SCENARIO_TIMEOUT_MS,
  );
});

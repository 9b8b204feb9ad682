import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitAuth } from "../../../action/workspace/auth-header.ts";
import { cloneWorkspace } from "../../../action/workspace/clone.ts";
import { filesContaining } from "../../../action/workspace/credential-check.ts";
import { updateMirror } from "../../../action/workspace/mirror.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";

const CANARY = "ghs_CANARY0123456789abcdefghijABCDEFGHIJ";
let github: LocalGitHub | undefined;

afterEach(async () => {
  await github?.close();
  github = undefined;
});

describe("token as an HTTP header", () => {
  it("sends the token only as an Authorization header and never writes it to disk", async () => {
    github = await LocalGitHub.start({ owner: "o" });
    await github.createRepo("repo", { "a.txt": "a\n", "b/c.txt": "c\n" });
    const remoteUrl = `${github.url}/o/repo.git`;
    const auth = gitAuth(github.canaryInstallationToken(CANARY), github.url);
    const cache = await mkdtemp(join(tmpdir(), "inhouse-cache-"));
    const mirror = await updateMirror({ cacheDir: cache, owner: "o", name: "repo", remoteUrl, auth });
    const dir = join(await mkdtemp(join(tmpdir(), "inhouse-ws-")), "repo");
    await cloneWorkspace({ mirror, remoteUrl, dir, branch: "main", localBranch: "agent/t" });

    const expected = `basic ${Buffer.from(`x-access-token:${CANARY}`).toString("base64")}`;
    const authorizations = github.gitTraffic.requests.map((r) => r.authorization);
    expect(authorizations.length).toBeGreaterThan(0);
    expect(authorizations.every((a) => a?.toLowerCase() === expected.toLowerCase())).toBe(true);
    expect(await readFile(join(dir, ".git/config"), "utf8")).toContain(`url = ${remoteUrl}`);
    for (const secret of auth.secrets) {
      expect(await filesContaining(dir, secret)).toEqual([]);
      expect(await filesContaining(cache, secret)).toEqual([]);
    }
  });
});

import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitAuth } from "../../../action/workspace/auth-header.ts";
import { agentBranchName } from "../../../action/workspace/branch-name.ts";
import { cloneWorkspace } from "../../../action/workspace/clone.ts";
import { assertSeedable, filesContaining } from "../../../action/workspace/credential-check.ts";
import { mirrorPath, updateMirror } from "../../../action/workspace/mirror.ts";
import { createOrigin, sh } from "./origin.ts";

const CANARY = "ghs_CANARYtoken0123456789abcdefABCDEF";

describe("workspace clone", () => {
  it("clones through a warm mirror and leaves no credential or alternates in the tree", async () => {
    const origin = await createOrigin({ "README.md": "hello\n", "src/a.ts": "export const a = 1;\n" });
    const cache = await mkdtemp(join(tmpdir(), "inhouse-cache-"));
    // A non-file scope would never send the header to file://; scope it to file:// to prove it is not persisted.
    const auth = gitAuth(CANARY, "file://");
    const mirror = await updateMirror({
      cacheDir: cache,
      owner: "acme",
      name: "repo",
      remoteUrl: origin.url,
      auth,
    });
    expect(mirror).toBe(mirrorPath(cache, "acme", "repo"));
    expect(mirror).toBe(join(cache, "mirrors", "acme", "repo.git"));

    // The next task: the remote moved on; the warm mirror fetches only the new commit.
    const newer = await origin.commit({ "src/b.ts": "export const b = 2;\n" }, "after the mirror");
    await updateMirror({ cacheDir: cache, owner: "acme", name: "repo", remoteUrl: origin.url, auth });
    const dir = join(await mkdtemp(join(tmpdir(), "inhouse-ws-")), "repo");
    await cloneWorkspace({
      mirror,
      remoteUrl: origin.url,
      dir,
      branch: "main",
      localBranch: "agent/x",
    });

    expect(sh(dir, "rev-parse", "HEAD").trim()).toBe(newer);
    expect(sh(dir, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("agent/x");
    expect(await readFile(join(dir, "src/b.ts"), "utf8")).toContain("b = 2");
    await expect(stat(join(dir, ".git/objects/info/alternates"))).rejects.toThrow();
    const config = await readFile(join(dir, ".git/config"), "utf8");
    expect(config).not.toMatch(/extraheader/i);
    // The canary in any form (raw or inside the base64 header) is nowhere in the tree or its .git.
    for (const secret of auth.secrets) {
      expect(await filesContaining(dir, secret)).toEqual([]);
      expect(await filesContaining(mirror, secret)).toEqual([]);
    }
    await expect(assertSeedable(dir, auth.secrets)).resolves.toBeUndefined();
    // origin is the real remote (for the push), and the mirror stores no URL at all.
    expect(sh(dir, "remote", "get-url", "origin").trim()).toBe(origin.url);
    expect(await readFile(join(mirror, "config"), "utf8")).not.toContain("url =");
    // The clone borrowed the mirror's packs by hardlink (same filesystem here), not by copying or alternates.
    const objects = (await readdir(join(dir, ".git/objects"), { recursive: true })).filter((f) =>
      /^[0-9a-f]{2}\/[0-9a-f]{38}$|^pack\/.*\.pack$/.test(f),
    );
    expect(objects.length).toBeGreaterThan(0);
    const links = await Promise.all(
      objects.map(async (f) => (await stat(join(dir, ".git/objects", f))).nlink),
    );
    expect(links.every((n) => n >= 2)).toBe(true);
    // History came along: the sandbox can run git log and git diff.
    expect(sh(dir, "log", "--oneline").trim().split("\n")).toHaveLength(2);
  });

  it("refuses to seed a tree with alternates or an auth header", async () => {
    const origin = await createOrigin({ "a.txt": "a\n" });
    const dir = join(await mkdtemp(join(tmpdir(), "inhouse-ws-")), "repo");
    sh(tmpdir(), "clone", "-q", "--reference", origin.bare, origin.url, dir);
    await expect(assertSeedable(dir, [])).rejects.toThrow(/alternates/);
    const other = join(await mkdtemp(join(tmpdir(), "inhouse-ws-")), "repo");
    sh(tmpdir(), "clone", "-q", "--no-local", origin.url, other);
    sh(other, "config", "http.extraheader", `AUTHORIZATION: basic ${CANARY}`);
    await expect(assertSeedable(other, [CANARY])).rejects.toThrow(/auth header.*secret|holds/);
  });

  it("treats a title full of shell metacharacters as plain text", async () => {
    const title = "Crash on `$(rm -rf ~)`; echo pwned && touch /tmp/x | cat > ~/.bashrc \"quoted\" 'single'";
    const branch = agentBranchName("agent/", "fix-issue", 12, title);
    expect(branch).toBe("agent/fix-issue-12-crash-on-rm-rf-echo-pwned-touch-tmp-x");
    expect(() => execFileSync("git", ["check-ref-format", `refs/heads/${branch}`])).not.toThrow();
    const origin = await createOrigin({ "a.txt": "a\n" });
    const cache = await mkdtemp(join(tmpdir(), "inhouse-cache-"));
    const mirror = await updateMirror({
      cacheDir: cache,
      owner: "o",
      name: "r",
      remoteUrl: origin.url,
      auth: gitAuth("t"),
    });
    const dir = join(await mkdtemp(join(tmpdir(), "inhouse-ws-")), "r");
    // A marker path of this test's own, so a file another process left in /tmp cannot fail it.
    const marker = join(await mkdtemp(join(tmpdir(), "inhouse-marker-")), "pwned");
    // Even a hostile local branch name is one argv element; git itself rejects what refs cannot hold.
    await expect(
      cloneWorkspace({
        mirror,
        remoteUrl: origin.url,
        dir,
        branch: "main",
        localBranch: `a;$(touch ${marker})`,
      }),
    ).rejects.toThrow(/not a valid branch name/);
    await expect(stat(marker)).rejects.toThrow();
  });

  it("records origin's URL exactly, even with characters git's config syntax treats specially", async () => {
    const origin = await createOrigin({ "a.txt": "a\n" });
    const cache = await mkdtemp(join(tmpdir(), "inhouse-cache-"));
    const mirror = await updateMirror({
      cacheDir: cache,
      owner: "o",
      name: "r",
      remoteUrl: origin.url,
      auth: gitAuth("t"),
    });
    for (const odd of [`${origin.url}#x;y`, `${origin.url}?q="1"\\2`, ` ${origin.url} `]) {
      const dir = join(await mkdtemp(join(tmpdir(), "inhouse-ws-")), "r");
      await cloneWorkspace({ mirror, remoteUrl: odd, dir, branch: "main", localBranch: "agent/x" });
      expect(sh(dir, "config", "--get", "remote.origin.url")).toBe(`${odd}\n`);
    }
  });

  it("names the branch that the mirror does not have", async () => {
    const origin = await createOrigin({ "a.txt": "a\n" });
    const cache = await mkdtemp(join(tmpdir(), "inhouse-cache-"));
    const mirror = await updateMirror({
      cacheDir: cache,
      owner: "o",
      name: "r",
      remoteUrl: origin.url,
      auth: gitAuth("t"),
    });
    const dir = join(await mkdtemp(join(tmpdir(), "inhouse-ws-")), "r");
    await expect(
      cloneWorkspace({ mirror, remoteUrl: origin.url, dir, branch: "gone", localBranch: "agent/x" }),
    ).rejects.toThrow(/refs\/heads\/gone not found in file:.*deleted or renamed/);
  });

  it("lets two tasks update the same mirror at once", async () => {
    const origin = await createOrigin({ "a.txt": "a\n" });
    const cache = await mkdtemp(join(tmpdir(), "inhouse-cache-"));
    const options = { cacheDir: cache, owner: "o", name: "r", remoteUrl: origin.url, auth: gitAuth("t") };
    const [one, two] = await Promise.all([updateMirror(options), updateMirror(options)]);
    expect(one).toBe(two);
    expect(sh(one, "rev-parse", "refs/heads/main").trim()).toBe(sh(origin.bare, "rev-parse", "main").trim());
  });
});

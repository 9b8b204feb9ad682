import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSandbox, type DockerSandbox, isSandboxError } from "../../../action/sandbox/index.ts";
import { describeDocker } from "../../helpers/docker.ts";
import { allowDockerHijack, git, requireSandboxImage } from "./sandbox-helpers.ts";

describeDocker("sandbox files, seeding and diff", () => {
  let sandbox: DockerSandbox;
  let hostRepo: string;
  let restoreNock: () => void = () => undefined;
  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
    sandbox = await createSandbox({ taskId: "test-files" });
    hostRepo = await mkdtemp(join(tmpdir(), "inhouse-seed-"));
    await mkdir(join(hostRepo, "src"));
    await writeFile(join(hostRepo, "src", "keep.txt"), "keep\n");
    await writeFile(
      join(hostRepo, "src", "old-name.txt"),
      "a file long enough to be detected as a rename\n".repeat(5),
    );
    await writeFile(join(hostRepo, "gone.txt"), "delete me\n");
    await writeFile(join(hostRepo, "script.sh"), "#!/bin/sh\necho hi\n");
    git(hostRepo, "init", "-q");
    git(hostRepo, "config", "http.https://github.com/.extraheader", "AUTHORIZATION: basic c2VjcmV0");
    git(hostRepo, "add", "-A");
    git(hostRepo, "commit", "-q", "-m", "base");
  });
  afterAll(async () => {
    await sandbox?.destroy();
    if (hostRepo) await rm(hostRepo, { recursive: true, force: true });
    restoreNock();
  });

  it("writes 10 MB of binary and reads it back byte-identical", async () => {
    const content = randomBytes(10 * 1024 * 1024);
    await sandbox.writeFile("blob/random.bin", content);
    const back = await sandbox.readFile("blob/random.bin");
    expect(back.equals(content)).toBe(true);
    await sandbox.writeFile("text.txt", "héllo\nwörld");
    expect((await sandbox.readFile("/workspace/text.txt")).toString("utf8")).toBe("héllo\nwörld");
    await sandbox.exec("rm -rf blob text.txt");
  });

  it.each([
    ["../etc/passwd", /outside the workspace/],
    ["/etc/passwd", /outside the workspace/],
    ["a\0b", /NUL byte/],
  ])("refuses the path %j", async (path, message) => {
    await expect(sandbox.readFile(path)).rejects.toThrow(message);
    await expect(sandbox.writeFile(path, "x")).rejects.toSatisfy((e) => isSandboxError(e, "path-refused"));
  });

  it("refuses symlinks that point out of the workspace and reports missing files", async () => {
    await sandbox.exec("ln -sfn /etc /workspace/etc-link && ln -sfn /etc/hostname /workspace/host-link");
    await expect(sandbox.readFile("etc-link/passwd")).rejects.toSatisfy((e) =>
      isSandboxError(e, "path-refused"),
    );
    await expect(sandbox.readFile("host-link")).rejects.toSatisfy((e) => isSandboxError(e, "path-refused"));
    await expect(sandbox.writeFile("etc-link/evil", "x")).rejects.toSatisfy((e) =>
      isSandboxError(e, "path-refused"),
    );
    await expect(sandbox.readFile("nope.txt")).rejects.toSatisfy((e) => isSandboxError(e, "file-not-found"));
    await sandbox.exec("rm -f /workspace/etc-link /workspace/host-link");
  });

  it("seeds a tree without .git with a baseline commit, so diff shows only later changes", async () => {
    const plain = await mkdtemp(join(tmpdir(), "inhouse-plain-"));
    const fresh = await createSandbox({ taskId: "test-plain-seed" });
    try {
      await writeFile(join(plain, "a.txt"), "a\n");
      await fresh.seed(plain);
      expect(await fresh.diff()).toBe("");
      await fresh.writeFile("b.txt", "b\n");
      expect(await fresh.diff()).toContain("+++ b/b.txt");
      await expect(fresh.seed(join(plain, "missing"))).rejects.toThrow(/not a directory/);
    } finally {
      await fresh.destroy();
      await rm(plain, { recursive: true, force: true });
    }
  });

  it("seeds a tree without its credentials and round-trips binary, rename, delete and mode change", async () => {
    await sandbox.seed(hostRepo);
    expect((await sandbox.readFile("src/keep.txt")).toString()).toBe("keep\n");
    const config = await sandbox.exec("git config --local --list");
    expect(config.stdout).not.toContain("extraheader");
    const image = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0xff]), randomBytes(2000)]);
    await sandbox.writeFile("assets/logo.png", image);
    await sandbox.writeFile("src/keep.txt", "keep\nchanged ✓\n");
    const moved = await sandbox.exec(
      "git mv src/old-name.txt src/new-name.txt && rm gone.txt && chmod +x script.sh",
    );
    expect(moved.exitCode).toBe(0);
    const patch = await sandbox.diff();
    expect(patch).toContain("rename from src/old-name.txt");
    expect(patch).toContain("GIT binary patch");

    const copy = await mkdtemp(join(tmpdir(), "inhouse-apply-"));
    try {
      await cp(hostRepo, copy, { recursive: true });
      git(copy, "update-index", "-q", "--refresh"); // the copy's files have new stat data
      await writeFile(join(copy, "change.patch"), patch);
      execFileSync("git", ["apply", "--index", "change.patch"], { cwd: copy, stdio: "pipe" });
      expect((await readFile(join(copy, "assets", "logo.png"))).equals(image)).toBe(true);
      expect(await readFile(join(copy, "src", "keep.txt"), "utf8")).toBe("keep\nchanged ✓\n");
      expect(await readFile(join(copy, "src", "new-name.txt"), "utf8")).toContain("rename");
      await expect(readFile(join(copy, "gone.txt"))).rejects.toThrow(/ENOENT/);
      expect(git(copy, "ls-files", "-s", "script.sh")).toMatch(/^100755 /);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});

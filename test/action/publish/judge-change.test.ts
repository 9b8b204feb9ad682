/**
 * The publish policy judges what git will commit on the host, never the sandbox's patch text
 * (issue #13, item 1). Every case makes its patch with real git in a copy playing the sandbox,
 * including the git features a sandbox can turn on to shape that text, and judges it on a fresh
 * clone playing the runner.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgePatch } from "../../../action/publish/judge-change.ts";
import { createRedactor } from "../../../core/redact.ts";

const KEY = "local-model-key-9f8e7d6c5b4a3f2e";
const config = {
  protectedPaths: [".github/workflows/**", "*.pem", "deploy/"],
  allowProtectedPathChanges: false,
};
const limits = { maxBytes: 10_000, maxFiles: 10 };
const redact = createRedactor([KEY]);

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  });
}

let root: string;
let origin: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "inhouse-judge-"));
  origin = join(root, "origin");
  await mkdir(origin);
  git(origin, "init", "-q", "-b", "main");
  const files: Record<string, string> = {
    "src/a.ts": "export const a = 1;\n",
    "README.md": "# widgets\n",
    "deploy/key.txt": "not a key\n",
    ".github/workflows/ci.yml": "on: push\n",
    "test/fixture.txt": "fake = AKIAIOSFODNN7EXAMPLE\n",
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(origin, path)), { recursive: true });
    await writeFile(join(origin, path), content);
  }
  git(origin, "add", "-A");
  git(origin, "commit", "-q", "-m", "base");
});
afterAll(() => rm(root, { recursive: true, force: true }));

let n = 0;
/** A fresh clone of the base: `change` edits it as the sandbox would, `diffArgs`/`config` shape the patch text. */
async function sandboxPatch(
  change: (dir: string) => Promise<void> | void,
  shape: { config?: string[]; diffArgs?: string[]; addAll?: boolean } = {},
): Promise<string> {
  const dir = join(root, `sandbox-${++n}`);
  git(root, "clone", "-q", origin, dir);
  await change(dir);
  if (shape.addAll !== false) git(dir, "add", "-A");
  const config = (shape.config ?? []).flatMap((c) => ["-c", c]);
  return git(dir, ...config, "diff", "--cached", "--binary", ...(shape.diffArgs ?? ["-M"]), "HEAD");
}

async function judge(patch: string, options: { config?: typeof config; limits?: typeof limits } = {}) {
  const dir = join(root, `runner-${++n}`);
  git(root, "clone", "-q", origin, dir);
  const judgement = await judgePatch({
    dir,
    patch,
    config: options.config ?? config,
    limits: options.limits ?? limits,
    redact,
  });
  return { judgement, dir, reasons: judgement.kind === "refused" ? judgement.reasons.join("\n") : "" };
}

const write = (path: string, content: string | Buffer) => async (dir: string) => {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), content);
};

describe("judgePatch: paths as git stages them", () => {
  it("accepts an ordinary change and leaves it staged for the commit", async () => {
    const { judgement, dir } = await judge(await sandboxPatch(write("src/a.ts", "export const a = 2;\n")));
    expect(judgement).toEqual({ kind: "staged", paths: ["src/a.ts"] });
    expect(git(dir, "diff", "--cached", "--name-only")).toBe("src/a.ts\n");
  });

  it("refuses a change to a workflow, naming the file, the pattern and the fix, and unstages it", async () => {
    const { reasons, dir } = await judge(
      await sandboxPatch(write(".github/workflows/ci.yml", "on: pull_request\n")),
    );
    expect(reasons).toContain("`.github/workflows/ci.yml` (matches `.github/workflows/**`)");
    expect(reasons).toContain("allowProtectedPathChanges: true");
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  it("counts both sides of a rename, so moving a file out of a protected directory is refused", async () => {
    const patch = await sandboxPatch((dir) => void git(dir, "mv", "deploy/key.txt", "src/key.txt"));
    expect(patch).toContain("rename from deploy/key.txt");
    expect((await judge(patch)).reasons).toContain("`deploy/key.txt` (matches `deploy/`)");
  });

  it("reads the path git stores when the sandbox's git writes mnemonic prefixes (c/ and i/, not a/ and b/)", async () => {
    const patch = await sandboxPatch(write(".github/workflows/ci.yml", "on: [push]\njobs: {}\n"), {
      config: ["diff.mnemonicPrefix=true"],
    });
    expect(patch).toContain("+++ i/.github/workflows/ci.yml"); // a reader of the text sees another path
    expect((await judge(patch)).reasons).toContain(
      "`.github/workflows/ci.yml` (matches `.github/workflows/**`)",
    );
  });

  it("matches name patterns at any depth and non-ASCII names as git stores them", async () => {
    expect((await judge(await sandboxPatch(write("certs/café.pem", "k\n")))).reasons).toContain(
      "`certs/café.pem`",
    );
    const fine = await judge(await sandboxPatch(write(".github/workflowsx/a.yml", "x\n")));
    expect(fine.judgement.kind).toBe("staged");
  });

  it("refuses a path no checkout can hold instead of matching it", async () => {
    const path = `src/${Array.from({ length: 17 }, () => "d".repeat(250)).join("/")}.ts`;
    const patch = await sandboxPatch(
      (dir) => {
        const oid = execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: dir, input: "x\n" })
          .toString()
          .trim();
        git(dir, "update-index", "--add", "--cacheinfo", `100644,${oid},${path}`);
      },
      { addAll: false },
    );
    await expect(judge(patch)).rejects.toThrow(/does not apply to the task.s checkout/);
  });

  it.each([
    ["a line break", "notes/a\nb.txt", "holds a control or invisible character"],
    ["an escape sequence", "notes/\u001b[31mred.txt", "holds a control or invisible character"],
    ["a zero-width space", "notes/\u200bREADME.md", "holds a control or invisible character"],
    ["a bidi override", "notes/\u202etxt.exe", "holds a control or invisible character"],
  ])("refuses a name with %s, showing it escaped", async (_, path, why) => {
    const { reasons } = await judge(await sandboxPatch(write(path, "x\n")));
    expect(reasons).toContain(why);
    expect(reasons).not.toContain(path);
  });

  it("refuses a name that is not UTF-8 instead of skipping it", async () => {
    const patch = await sandboxPatch(async (dir) => {
      await writeFile(
        Buffer.concat([Buffer.from(`${dir}/src/`), Buffer.from([0xff, 0xfe]), Buffer.from(".ts")]),
        "x\n",
      );
    });
    expect((await judge(patch)).reasons).toContain("file names that are not UTF-8");
  });

  it("refuses a submodule (gitlink) added by the change", async () => {
    const patch = await sandboxPatch(
      (dir) => {
        const oid = git(dir, "rev-parse", "HEAD").trim();
        git(dir, "update-index", "--add", "--cacheinfo", `160000,${oid},vendor/lib`);
      },
      { addAll: false },
    );
    expect(patch).toContain("+Subproject commit");
    expect((await judge(patch)).reasons).toContain("submodules (`vendor/lib`)");
  });

  it("lets a repository that allows it change protected paths", async () => {
    const patch = await sandboxPatch(write(".github/workflows/ci.yml", "on: pull_request\n"));
    const { judgement } = await judge(patch, { config: { ...config, allowProtectedPathChanges: true } });
    expect(judgement.kind).toBe("staged");
  });

  it("refuses too many files", async () => {
    const patch = await sandboxPatch(async (dir) => {
      for (let i = 0; i < 11; i++) await write(`many/f${i}.txt`, `${i}\n`)(dir);
    });
    expect((await judge(patch)).reasons).toMatch(/touches 11 files, over the runner's limit of 10/);
  });
});

describe("judgePatch: sizes from the blobs", () => {
  it("counts the added lines of a changed text file, not the whole file", async () => {
    const patch = await sandboxPatch(write("README.md", `# widgets\n${"x".repeat(9000)}\n`));
    expect((await judge(patch)).judgement.kind).toBe("staged");
    const over = await sandboxPatch(write("README.md", `# widgets\n${"x".repeat(11_000)}\n`));
    expect((await judge(over)).reasons).toMatch(
      /the change is 11001 bytes, over the runner's limit of 10000/,
    );
  });

  it("counts a binary file's whole content, whatever its compressed patch weighs", async () => {
    const patch = await sandboxPatch(write("assets/zeros.bin", Buffer.alloc(5_000_000)));
    const roomy = { ...limits, maxBytes: 100_000 };
    expect(Buffer.byteLength(patch)).toBeLessThan(roomy.maxBytes); // the text is small…
    const { reasons } = await judge(patch, { limits: roomy });
    expect(reasons).toMatch(/the change is 5000000 bytes/); // …what lands is not
  });
});

describe("judgePatch: secrets in the real contents", () => {
  it("refuses a known secret inside a binary file, which a patch carries only compressed", async () => {
    const bytes = Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(KEY), Buffer.alloc(64)]);
    const patch = await sandboxPatch(write("assets/blob.bin", bytes));
    expect(patch).toContain("GIT binary patch");
    expect(patch).not.toContain(KEY);
    const { reasons } = await judge(patch);
    expect(reasons).toContain("`assets/blob.bin`");
    expect(reasons).not.toContain(KEY);
  });

  it("refuses a known secret written as UTF-16, split over lines, or in hex", async () => {
    for (const [i, content] of [
      Buffer.from(KEY, "utf16le"),
      `${KEY.slice(0, 10)}\n${KEY.slice(10, 20)}\r\n${KEY.slice(20)}\n`,
      Buffer.from(KEY).toString("hex"),
    ].entries()) {
      const { reasons } = await judge(await sandboxPatch(write("src/k.ts", content)));
      expect(reasons, `form ${i}`).toContain("looks like a credential (in `src/k.ts`)");
    }
  });

  it("lets an edit of a file that already held a fake key through, and refuses one that adds another", async () => {
    const edit = await sandboxPatch(write("test/fixture.txt", "fake = AKIAIOSFODNN7EXAMPLE\nmore = 1\n"));
    expect((await judge(edit)).judgement.kind).toBe("staged");
    const added = await sandboxPatch(
      write("test/fixture.txt", "fake = AKIAIOSFODNN7EXAMPLE\nreal = AKIAY34FZKBOKMUTVV7A\n"),
    );
    expect((await judge(added)).reasons).toContain("`test/fixture.txt`");
  });
});

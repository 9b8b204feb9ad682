/** The small rules of `inhouse eval`: closing keywords, test paths, the results log, the suggested config, the arguments. */
import { appendFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseEvalArgs } from "../../../action/cli/eval-args.ts";
import { runCli } from "../../../action/cli/main.ts";
import { closingKeywordReferences } from "../../../action/eval/closing-keywords.ts";
import { appendResult, endCutLine, readResults } from "../../../action/eval/results-log.ts";
import { suggestProfile, withModelProfile } from "../../../action/eval/suggest-profile.ts";
import { testPathClassifier } from "../../../action/eval/test-paths.ts";
import { gradedResult } from "../../helpers/eval-result.ts";
import { createJsFixtureRepo, git } from "../../helpers/fixture-repo.ts";

describe("closing keywords (GitHub's nine, any case, optional colon)", () => {
  it("finds what GitHub links and nothing else", () => {
    expect(closingKeywordReferences("Fixes #1, closes #2 and RESOLVED: #3; fix #4 close #5")).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(closingKeywordReferences("Related to #6, see #7, prefixes #8, fixing #9")).toEqual([]);
  });
});

describe("test paths", () => {
  it("tells tests from code by the usual layouts, and takes the user's globs instead", () => {
    const classify = testPathClassifier();
    for (const path of [
      "test/a.js",
      "pkg/tests/b.py",
      "src/__tests__/c.ts",
      "spec/d.rb",
      "src/e.test.ts",
      "f_test.go",
      "g/test_h.py",
    ])
      expect(classify(path), path).toBe("test");
    for (const path of ["src/a.js", "testing.md", "contest/x.js", "latest.js"])
      expect(classify(path), path).toBe("code");
    expect(testPathClassifier(["checks/**"])("checks/a.js")).toBe("test");
    expect(testPathClassifier(["checks/**"])("test/a.js")).toBe("code");
  });
});

describe("results log", () => {
  it("keeps whole lines, drops a line cut by a kill, and the next result after it is not lost", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "inhouse-results-")), "results.jsonl");
    expect(await readResults(path)).toEqual([]);
    await appendResult(path, gradedResult("p", "a#1", true));
    await appendFile(path, JSON.stringify(gradedResult("p", "a#2", true)).slice(0, 40)); // the kill
    await endCutLine(path);
    await appendResult(path, gradedResult("p", "a#3", true));
    expect((await readResults(path)).map((r) => r.instance)).toEqual(["a#1", "a#3"]);
    await appendResult(path, { ...gradedResult("p", "a#1", true), status: "error" });
    expect((await readResults(path)).find((r) => r.instance === "a#1")!.status).toBe("error");
  });
});

describe("the suggested config change", () => {
  it("sets model.profile and keeps comments and other settings", () => {
    const text = "# our agent\ncommands:\n  test: npm test # fast\nmodel:\n  profile: default\n";
    expect(withModelProfile(text, "gpu")).toBe(
      "# our agent\ncommands:\n  test: npm test # fast\nmodel:\n  profile: gpu\n",
    );
    expect(withModelProfile("commands: { test: make }\n", "gpu")).toContain("profile: gpu");
    expect(withModelProfile(null, "gpu")).toBe("model:\n  profile: gpu\n");
  });

  it("is a commit on its own branch: HEAD, index and working tree stay as they were", async () => {
    const repo = await createJsFixtureRepo({ ".github/agent.yml": "# keep me\nlimits: { turns: 9 }\n" });
    await writeFile(join(repo.dir, "README.md"), "local edit\n");
    const head = git(repo.dir, "rev-parse", "HEAD");
    const report = { repository: "acme/x", instances: ["acme/x#1"], best: "gpu", profiles: [] } as never;
    const suggestion = await suggestProfile(repo.dir, report);
    expect(suggestion).toMatchObject({ kind: "branch", branch: "eval/model-gpu", profile: "gpu" });
    expect(git(repo.dir, "rev-parse", "HEAD")).toBe(head);
    expect(git(repo.dir, "status", "--porcelain")).toBe(" M README.md\n");
    expect(git(repo.dir, "show", "eval/model-gpu:.github/agent.yml")).toBe(
      "# keep me\nlimits: { turns: 9 }\nmodel:\n  profile: gpu\n",
    );
    expect(await readFile(join(repo.dir, ".github/agent.yml"), "utf8")).toBe(
      "# keep me\nlimits: { turns: 9 }\n",
    );
    const again = await suggestProfile(repo.dir, { ...(report as object), best: undefined } as never);
    expect(again).toMatchObject({ kind: "unchanged", why: "no profile resolved any instance" });
  });
});

describe("inhouse eval arguments", () => {
  it("parses harvest and run, and names what is missing", () => {
    expect(
      parseEvalArgs(["harvest", "--export", "e.json", "--out", "i.json", "--concurrency", "2"], {}),
    ).toMatchObject({
      command: "harvest",
      options: { export: "e.json", out: "i.json", concurrency: 2, repo: ".", testTimeoutMs: 600_000 },
    });
    expect(
      parseEvalArgs(["run", "--instances", "i.json", "--out", "d", "--profiles", "a, b"], {
        INHOUSE_MODEL_PROFILES: "p.yml",
      }),
    ).toMatchObject({
      command: "eval-run",
      options: { profiles: ["a", "b"], profilesFile: "p.yml", suggest: false },
    });
    expect(() => parseEvalArgs(["harvest", "--out", "i.json"], {})).toThrow(
      /either --export <file.json> or --github <owner\/name>/,
    );
    expect(() => parseEvalArgs(["run", "--instances", "i.json"], {})).toThrow(/needs --out <dir>/);
    expect(() => parseEvalArgs(["run", "--instances", "i", "--out", "d", "--concurrency", "0"], {})).toThrow(
      /--concurrency expects a positive whole number, got '0'/,
    );
    expect(() => parseEvalArgs(["score"], {})).toThrow(/unknown eval command 'score'/);
  });

  it("answers bad input with an error naming the fix, before anything runs", async () => {
    let err = "";
    const stream = (sink: (text: string) => void) => ({
      write: (chunk: string) => sink(chunk),
      isTTY: false,
    });
    const code = await runCli(
      ["eval", "run", "--instances", "/nonexistent.json", "--out", "/tmp/x", "--profiles", "a,b"],
      {
        stdout: stream(() => {}),
        stderr: stream((t) => (err += t)),
        env: {},
      },
    );
    expect(code).toBe(1);
    expect(err).toMatch(
      /cannot read instances from \/nonexistent\.json .*write them with `inhouse eval harvest`/,
    );
  });
});

/** Per-test results read from real reporters' output (Node's TAP and Python's unittest run here). */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTestResults } from "../../../action/eval/test-results.ts";

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const failed = error as { stdout: string; stderr: string };
    return `${failed.stdout}\n${failed.stderr}`;
  }
}

describe("parseTestResults", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "inhouse-test-results-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads node --test TAP: passes, failures, skips and suites as `suite > test`", async () => {
    await writeFile(
      join(dir, "a.test.mjs"),
      `import { test, describe } from "node:test";
import assert from "node:assert";
test("passes", () => {});
test("fails", () => { assert.equal(1, 2); });
test("skipped", { skip: true }, () => {});
test("todo # not done", { todo: true }, () => { assert.fail("x"); });
describe("suite", () => {
  test("inner ok", () => {});
  test("inner bad", () => { throw new Error("ok 99 - not a test point"); });
});
`,
    );
    const output = run(process.execPath, ["--test", "--test-reporter=tap", "a.test.mjs"], dir);
    const results = parseTestResults(output);
    expect(results.get("passes")).toBe("pass");
    expect(results.get("fails")).toBe("fail");
    expect(results.get("skipped")).toBe("skip");
    expect([...results.keys()].some((name) => name.startsWith("todo"))).toBe(true);
    expect(results.get("suite > inner ok")).toBe("pass");
    expect(results.get("suite > inner bad")).toBe("fail");
    expect(results.has("suite")).toBe(false);
    expect(results.has("not a test point")).toBe(false);
  });

  it("reads unittest -v", async () => {
    await writeFile(
      join(dir, "test_calc.py"),
      "import unittest\n\nclass Calc(unittest.TestCase):\n    def test_good(self):\n        self.assertEqual(1, 1)\n    def test_bad(self):\n        self.assertEqual(1, 2)\n    @unittest.skip('later')\n    def test_later(self):\n        pass\n",
    );
    const output = run("python3", ["-m", "unittest", "-v", "test_calc"], dir);
    const results = parseTestResults(output);
    expect(results.get("test_calc.Calc.test_good")).toBe("pass");
    expect(results.get("test_calc.Calc.test_bad")).toBe("fail");
    expect(results.get("test_calc.Calc.test_later")).toBe("skip");
  });

  it("reads pytest's -rA short summary", () => {
    // The form documented at https://docs.pytest.org/en/stable/how-to/output.html (-r chars: A = all).
    const output = [
      "=========================== short test summary info ============================",
      "PASSED tests/test_ops.py::test_add",
      "FAILED tests/test_ops.py::test_sub - assert 1 == 2",
      "ERROR tests/test_ops.py::test_setup - RuntimeError",
      "SKIPPED [1] tests/test_ops.py:10: later",
      "XFAIL tests/test_ops.py::test_known - bug 12",
    ].join("\n");
    const results = parseTestResults(output);
    expect(Object.fromEntries(results)).toEqual({
      "tests/test_ops.py::test_add": "pass",
      "tests/test_ops.py::test_sub": "fail",
      "tests/test_ops.py::test_setup": "fail",
      "tests/test_ops.py::test_known": "pass",
    });
  });

  it("reads nothing from output with no per-test results", () => {
    expect(parseTestResults("All good!\n3 passing").size).toBe(0);
  });
});

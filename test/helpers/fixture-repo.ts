/**
 * Small real git repositories with a failing test, generated in a temp dir, for loop and CLI tests.
 * The JavaScript one runs with `node --test`, the Python one with `python3 -m unittest`: neither
 * needs an install step, so they run in a sandbox without network.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface FixtureRepo {
  dir: string;
  /** The buggy line and its fix, for trajectories and assertions. */
  bug: { path: string; broken: string; fixed: string };
  testCommand: string;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Fixture",
      GIT_AUTHOR_EMAIL: "fixture@example.com",
      GIT_COMMITTER_NAME: "Fixture",
      GIT_COMMITTER_EMAIL: "fixture@example.com",
    },
  });
}

async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

async function commitTree(prefix: string, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await writeTree(dir, files);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "Initial commit");
  return dir;
}

export async function createJsFixtureRepo(extraFiles: Record<string, string> = {}): Promise<FixtureRepo> {
  const bug = { path: "src/sum.js", broken: "return a - b;", fixed: "return a + b;" };
  const dir = await commitTree("inhouse-fixture-js-", {
    "package.json": `${JSON.stringify({ name: "fixture", type: "module", scripts: { test: "node --test test/" } }, null, 2)}\n`,
    "src/sum.js": `export function sum(a, b) {\n  ${bug.broken}\n}\n`,
    "test/sum.test.js":
      'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { sum } from "../src/sum.js";\n\ntest("adds two numbers", () => {\n  assert.equal(sum(2, 3), 5);\n});\n',
    "README.md": "# fixture\n\nAdds numbers.\n",
    ...extraFiles,
  });
  return { dir, bug, testCommand: "node --test test/" };
}

export async function createPythonFixtureRepo(): Promise<FixtureRepo> {
  const bug = { path: "calc/ops.py", broken: "return a * b", fixed: "return a + b" };
  const dir = await commitTree("inhouse-fixture-py-", {
    "pyproject.toml": '[project]\nname = "fixture"\nversion = "0.1.0"\n',
    "calc/__init__.py": "",
    "calc/ops.py": `def add(a, b):\n    ${bug.broken}\n`,
    "tests/__init__.py": "",
    "tests/test_ops.py":
      "import unittest\n\nfrom calc.ops import add\n\n\nclass AddTest(unittest.TestCase):\n    def test_adds(self):\n        self.assertEqual(add(2, 3), 5)\n\n\nif __name__ == '__main__':\n    unittest.main()\n",
    "AGENTS.md": "# Agent notes\n\n## Commands\n\n- test: `python3 -m unittest discover -s tests -t .`\n",
  });
  return { dir, bug, testCommand: "python3 -m unittest discover -s tests -t ." };
}

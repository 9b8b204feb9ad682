/**
 * A repository with real history for `inhouse eval`: issues fixed by pull requests merged with
 * real merge commits, and its export in the offline format (`gh issue list` / `gh pr list` JSON).
 *
 *   #1  sum() subtracts          → PR #2 fixes it and adds a test        (solvable)
 *   #3  multiply() adds          → PR #4 fixes it and adds a test        (solvable)
 *   #5  add clamp()              → PR #6 adds src/clamp.js and its test  (the scripted model gives up)
 *   #7  greet() punctuation      → PR #8: its code does not pass its own test (dropped at harvest)
 *   #9  README typo              → PR #10 changes no test               (dropped)
 *   #11 subtract() missing       → PR #12 adds it and a test              (solvable)
 *   #13 question, closed without a pull request                          (dropped)
 *
 * Tests print TAP (`node --test --test-reporter=tap`), which the sandbox image's Node reads.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { RepositoryExport } from "../../action/eval/export-format.ts";
import { git } from "./fixture-repo.ts";

export const EVAL_TEST_COMMAND = "node --test --test-reporter=tap test/";

export interface EvalFixturePair {
  issue: number;
  pull: number;
  title: string;
  /** What a scripted model does to solve it: an edit_file call's arguments, or none (it gives up). */
  fix?: { path: string; oldText: string; newText: string };
  /** Lines only the held-out tests and the reference change hold: they must not reach the agent. */
  heldOutLines: string[];
}

export interface EvalFixture {
  dir: string;
  exportPath: string;
  data: RepositoryExport;
  pairs: EvalFixturePair[];
  mergeCommits: Record<number, string>;
  cleanup(): Promise<void>;
}

const MATH_AT_START = `export function sum(a, b) {
  return a - b;
}

export function multiply(x, y) {
  return x + y;
}

export function greet(name) {
  return "Hello, " + name;
}
// more math below
`;

const testFile = (imports: string, body: string) =>
  `import assert from "node:assert/strict";\nimport { test } from "node:test";\n${imports}\n\n${body}`;

interface Change {
  files: Record<string, string>;
}

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

const day = (n: number, hour = 12) =>
  `2026-03-${String(n).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00Z`;

/** Commits on a branch, then merges it into main with a merge commit, as GitHub's merge button does. */
async function mergePullRequest(dir: string, branch: string, change: Change, message: string, at: string) {
  git(dir, "checkout", "-q", "-b", branch, "main");
  await writeFiles(dir, change.files);
  git(dir, "add", "-A");
  git(dir, "-c", `core.hooksPath=/dev/null`, "commit", "-q", "-m", message, `--date=${at}`);
  git(dir, "checkout", "-q", "main");
  git(dir, "merge", "-q", "--no-ff", "-m", `Merge pull request from ${branch}`, branch);
  return git(dir, "rev-parse", "HEAD").trim();
}

export async function createEvalFixture(): Promise<EvalFixture> {
  const root = await mkdtemp(join(tmpdir(), "inhouse-eval-fixture-"));
  const dir = join(root, "repo");
  await mkdir(dir);
  await writeFiles(dir, {
    "package.json": `${JSON.stringify({ name: "mathlib", type: "module", scripts: { test: EVAL_TEST_COMMAND } }, null, 2)}\n`,
    ".github/agent.yml": `commands:\n  test: ${EVAL_TEST_COMMAND}\nlimits: { turns: 8, minutes: 5 }\n`,
    "src/math.js": MATH_AT_START,
    "test/greet.test.js": testFile(
      'import { greet } from "../src/math.js";',
      'test("greets by name", () => {\n  assert.match(greet("Ada"), /^Hello, Ada/);\n});\n',
    ),
    "README.md": "# mathlib\n\nSmall maths helpres.\n",
  });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "Initial commit");

  const mergeCommits: Record<number, string> = {};
  let math = MATH_AT_START;
  const fixSum = { path: "src/math.js", oldText: "return a - b;", newText: "return a + b;" };
  math = math.replace(fixSum.oldText, fixSum.newText);
  mergeCommits[2] = await mergePullRequest(
    dir,
    "fix-sum",
    {
      files: {
        "src/math.js": math,
        "test/sum.test.js": testFile(
          'import { sum } from "../src/math.js";',
          'test("sum adds", () => {\n  assert.equal(sum(2, 3), 5);\n});\n',
        ),
      },
    },
    "Fix sum",
    day(2),
  );

  const fixMultiply = { path: "src/math.js", oldText: "return x + y;", newText: "return x * y;" };
  math = math.replace(fixMultiply.oldText, fixMultiply.newText);
  mergeCommits[4] = await mergePullRequest(
    dir,
    "fix-multiply",
    {
      files: {
        "src/math.js": math,
        "test/multiply.test.js": testFile(
          'import { multiply } from "../src/math.js";',
          'test("multiply multiplies", () => {\n  assert.equal(multiply(4, 5), 20);\n});\n',
        ),
      },
    },
    "Fix multiply",
    day(4),
  );

  mergeCommits[6] = await mergePullRequest(
    dir,
    "clamp",
    {
      files: {
        "src/clamp.js":
          "export function clamp(value, low, high) {\n  return Math.min(high, Math.max(low, value));\n}\n",
        "test/clamp.test.js": testFile(
          'import { clamp } from "../src/clamp.js";',
          'test("clamp keeps values in range", () => {\n  assert.equal(clamp(15, 0, 10), 10);\n});\n',
        ),
      },
    },
    "Add clamp",
    day(6),
  );

  // The reference adds a full stop while its own test asks for "!": it fails its own test.
  mergeCommits[8] = await mergePullRequest(
    dir,
    "greet-punctuation",
    {
      files: {
        "src/math.js": math.replace('return "Hello, " + name;', 'return "Hello, " + name + ".";'),
        "test/greet.test.js": testFile(
          'import { greet } from "../src/math.js";',
          'test("greets by name", () => {\n  assert.equal(greet("Ada"), "Hello, Ada!");\n});\n',
        ),
      },
    },
    "Punctuate greet",
    day(8),
  );
  // Someone then fixed it straight on main, without a pull request: later bases are green again.
  math = math.replace('return "Hello, " + name;', 'return "Hello, " + name + "!";');
  await writeFiles(dir, { "src/math.js": math });
  git(dir, "commit", "-q", "-am", "greet: exclamation mark");

  mergeCommits[10] = await mergePullRequest(
    dir,
    "readme-typo",
    { files: { "README.md": "# mathlib\n\nSmall maths helpers.\n" } },
    "Fix README typo",
    day(10),
  );

  const addSubtract = {
    path: "src/math.js",
    oldText: "// more math below",
    newText: "export function subtract(a, b) {\n  return a - b;\n}\n// more math below",
  };
  math = math.replace(addSubtract.oldText, addSubtract.newText);
  mergeCommits[12] = await mergePullRequest(
    dir,
    "subtract",
    {
      files: {
        "src/math.js": math,
        "test/subtract.test.js": testFile(
          'import { subtract } from "../src/math.js";',
          'test("subtract subtracts", () => {\n  assert.equal(subtract(9, 4), 5);\n});\n',
        ),
      },
    },
    "Add subtract",
    day(12),
  );

  const pairs: EvalFixturePair[] = [
    {
      issue: 1,
      pull: 2,
      title: "sum() subtracts instead of adding",
      fix: fixSum,
      heldOutLines: ['test("sum adds", () => {', "assert.equal(sum(2, 3), 5);"],
    },
    {
      issue: 3,
      pull: 4,
      title: "multiply() adds its arguments",
      fix: fixMultiply,
      heldOutLines: [
        'test("multiply multiplies", () => {',
        "assert.equal(multiply(4, 5), 20);",
        "return x * y;",
      ],
    },
    {
      issue: 5,
      pull: 6,
      title: "Add a clamp() helper",
      heldOutLines: [
        "return Math.min(high, Math.max(low, value));",
        'test("clamp keeps values in range", () => {',
        "assert.equal(clamp(15, 0, 10), 10);",
      ],
    },
    { issue: 7, pull: 8, title: "greet() should end with an exclamation mark", heldOutLines: [] },
    { issue: 9, pull: 10, title: "Typo in the README", heldOutLines: [] },
    {
      issue: 11,
      pull: 12,
      title: "subtract() is missing",
      fix: addSubtract,
      heldOutLines: ['test("subtract subtracts", () => {', "assert.equal(subtract(9, 4), 5);"],
    },
  ];
  const bodies: Record<number, string> = {
    1: "`sum(2, 3)` returns -1. It should return 5.",
    3: "`multiply(4, 5)` returns 9, expected 20.",
    5: "We need `clamp(value, low, high)` in `src/clamp.js`.",
    7: "`greet('Ada')` should return `Hello, Ada!`.",
    9: "README says helpres.",
    11: "Please add `subtract(a, b)` to `src/math.js`.",
  };
  const prBodies: Record<number, string> = {
    2: "Fixes #1",
    4: "closes #3",
    6: "Resolves: #5",
    8: "Fixes #7",
    10: "fixes #9",
    12: "Closes #11",
  };
  const data: RepositoryExport = {
    repository: "acme/mathlib",
    issues: [
      ...pairs.map((pair) => ({
        number: pair.issue,
        title: pair.title,
        body: bodies[pair.issue] ?? "",
        author: { login: "reporter" },
        state: "CLOSED",
        createdAt: day(pair.issue, 9),
        closedAt: day(pair.pull, 13),
        comments: [
          {
            body: "I can reproduce this on main.",
            createdAt: day(pair.issue, 10),
            author: { login: "maintainer" },
          },
          // Written after the pull request was opened: it gives the fix away and must not be shown.
          {
            body: `Fixed in #${pair.pull}: LATER-COMMENT-${pair.issue}`,
            createdAt: day(pair.pull, 12),
            author: { login: "maintainer" },
          },
        ],
      })),
      {
        number: 13,
        title: "How do I install this?",
        body: "Question.",
        state: "CLOSED",
        createdAt: day(13, 9),
      },
    ],
    pulls: pairs.map((pair) => ({
      number: pair.pull,
      title: `PR for #${pair.issue}`,
      body: prBodies[pair.pull] ?? "",
      createdAt: day(pair.pull, 11),
      mergedAt: day(pair.pull, 13),
      mergeCommit: { oid: mergeCommits[pair.pull]! },
      baseRefName: "main",
      files: git(dir, "diff", "--name-only", `${mergeCommits[pair.pull]}^1`, mergeCommits[pair.pull]!)
        .split("\n")
        .filter(Boolean)
        .map((path) => ({ path })),
      commits: [{ oid: git(dir, "rev-parse", `${mergeCommits[pair.pull]}^2`).trim() }],
    })),
  };
  const exportPath = join(root, "export.json");
  await writeFile(exportPath, `${JSON.stringify(data, null, 2)}\n`);
  return {
    dir,
    exportPath,
    data,
    pairs,
    mergeCommits,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

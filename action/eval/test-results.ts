/**
 * Per-test results read from a test command's output, so FAIL_TO_PASS and PASS_TO_PASS can name
 * tests. Three formats, found by what the output holds:
 * - TAP (node --test --test-reporter=tap, tape, prove, pytest-tap …): test points
 *   `ok N - name` / `not ok N - name`, `# SKIP` / `# TODO` directives, subtests indented by four
 *   spaces, YAML diagnostics between `---` and `...`
 *   (TAP 14, https://testanything.org/tap-version-14-specification.html). A test point with
 *   subtests is a suite: its subtests are reported as `suite > test`.
 * - pytest's short test summary with `-rA`: `PASSED path::test`, `FAILED path::test - reason`
 *   (https://docs.pytest.org/en/stable/how-to/output.html#producing-a-detailed-summary-report).
 * - unittest verbose (`-v`): `test_name (module.Class.test_name) ... ok|FAIL|ERROR|skipped`
 *   (https://docs.python.org/3/library/unittest.html#command-line-options).
 */
export type TestStatus = "pass" | "fail" | "skip";
export type TestResults = Map<string, TestStatus>;

const TEST_POINT = /^(not )?ok\b(?:\s+\d+)?(?:\s+-)?\s*(.*?)\s*$/;
const DIRECTIVE = /\s+#\s*(SKIP|TODO)\b.*$/i;

interface Point {
  name: string;
  status: TestStatus;
}

function tapPoint(line: string): Point | undefined {
  const match = TEST_POINT.exec(line);
  if (!match) return undefined;
  const rawName = match[2] ?? "";
  const directive = DIRECTIVE.exec(rawName)?.[1]?.toUpperCase();
  const name = rawName.replace(DIRECTIVE, "").replace(/\\#/g, "#").trim();
  const failed = Boolean(match[1]);
  const status: TestStatus = directive === "SKIP" ? "skip" : failed && directive !== "TODO" ? "fail" : "pass";
  return { name, status };
}

function parseTap(lines: string[]): TestResults {
  const results: TestResults = new Map();
  // Finished subtests waiting for their parent's test point, per indentation depth.
  const pending = new Map<number, Array<[string, TestStatus]>>();
  let yamlIndent: number | undefined;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const text = line.trim();
    if (yamlIndent !== undefined) {
      if (text === "..." && indent === yamlIndent) yamlIndent = undefined;
      continue;
    }
    if (text === "---") {
      yamlIndent = indent;
      continue;
    }
    const point = tapPoint(text);
    if (!point) continue;
    const depth = Math.floor(indent / 4);
    const children = pending.get(depth + 1) ?? [];
    pending.delete(depth + 1);
    const own: Array<[string, TestStatus]> =
      children.length > 0
        ? children.map(([child, status]) => [`${point.name} > ${child}`, status])
        : [[point.name, point.status]];
    if (depth === 0) for (const [name, status] of own) results.set(name, status);
    else pending.set(depth, [...(pending.get(depth) ?? []), ...own]);
  }
  return results;
}

const PYTEST_SUMMARY = /^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\s+(\S+::\S+)/;
const PYTEST_STATUS: Record<string, TestStatus> = {
  PASSED: "pass",
  XFAIL: "pass",
  XPASS: "pass",
  FAILED: "fail",
  ERROR: "fail",
  SKIPPED: "skip",
};

const UNITTEST_LINE =
  /^(\w+) \(([\w.]+)\)(?:\n.*)?\s\.\.\.\s(ok|FAIL|ERROR|skipped.*|expected failure|unexpected success)$/;

function unittestStatus(word: string): TestStatus {
  if (word === "ok" || word === "expected failure") return "pass";
  if (word.startsWith("skipped")) return "skip";
  return "fail";
}

export function parseTestResults(output: string): TestResults {
  const lines = output.split(/\r?\n/);
  if (lines.some((line) => TEST_POINT.test(line.trim()) && /^\s*(not )?ok\b/.test(line)))
    return parseTap(lines);
  const results: TestResults = new Map();
  for (const line of lines) {
    const pytest = PYTEST_SUMMARY.exec(line);
    if (pytest) results.set(pytest[2]!, PYTEST_STATUS[pytest[1]!]!);
    const unittest = UNITTEST_LINE.exec(line);
    if (unittest) results.set(unittest[2]!, unittestStatus(unittest[3]!));
  }
  return results;
}

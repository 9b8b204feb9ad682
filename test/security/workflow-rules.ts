/**
 * Rules for GitHub workflows beyond what actionlint checks: the triggers, expressions and token
 * permissions that would let an outsider run code with the repository's credentials.
 */
import * as yaml from "js-yaml";

export interface WorkflowFinding {
  rule: "pull-request-target" | "untrusted-expression-in-run" | "permissions";
  message: string;
}

/** Expressions whose value an outsider (issue author, PR author, dispatcher) controls. */
const UNTRUSTED = /\b(github\.event\b|inputs\.|github\.head_ref\b|fromjson\(\s*inputs)/i;
const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;
/** Scopes an agent workflow may write; any other workflow gets read access only. */
// The agent's writes go through the task token the App mints; the workflow's own token writes
// nothing, and the job only needs to request its OIDC token.
const AGENT_WRITES = new Set(["id-token"]);

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function triggers(on: unknown): string[] {
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return isMapping(on) ? Object.keys(on) : [];
}

function checkPermissions(where: string, permissions: unknown, runsAgent: boolean): WorkflowFinding[] {
  if (permissions === undefined) return [];
  if (!isMapping(permissions)) {
    return [
      {
        rule: "permissions",
        message: `${where}: permissions '${String(permissions)}' is not least privilege; list each scope`,
      },
    ];
  }
  return Object.entries(permissions)
    .filter(([scope, level]) => level === "write" && !(runsAgent && AGENT_WRITES.has(scope)))
    .map(([scope]) => ({
      rule: "permissions" as const,
      message: `${where}: '${scope}: write' is more than this workflow needs; use read or drop it`,
    }));
}

export function checkWorkflow(text: string, runsAgentAction: (uses: string) => boolean): WorkflowFinding[] {
  const workflow = yaml.load(text);
  if (!isMapping(workflow)) return [{ rule: "permissions", message: "not a workflow mapping" }];
  const findings: WorkflowFinding[] = [];
  if (triggers(workflow.on).includes("pull_request_target")) {
    findings.push({
      rule: "pull-request-target",
      message: "on: pull_request_target runs with write access on code from forks; use pull_request",
    });
  }
  if (workflow.permissions === undefined) {
    findings.push({
      rule: "permissions",
      message: "no top-level permissions: declare the least the jobs need",
    });
  }
  const jobs = isMapping(workflow.jobs) ? workflow.jobs : {};
  const steps = (job: unknown) =>
    isMapping(job) && Array.isArray(job.steps) ? job.steps.filter(isMapping) : [];
  const runsAgent = Object.values(jobs).some((job) =>
    steps(job).some((step) => typeof step.uses === "string" && runsAgentAction(step.uses)),
  );
  findings.push(...checkPermissions("workflow", workflow.permissions, runsAgent));
  for (const [name, job] of Object.entries(jobs)) {
    if (isMapping(job)) findings.push(...checkPermissions(`job ${name}`, job.permissions, runsAgent));
    for (const [index, step] of steps(job).entries()) {
      if (typeof step.run !== "string") continue;
      for (const [, expression] of step.run.matchAll(EXPRESSION)) {
        if (!UNTRUSTED.test(expression ?? "")) continue;
        findings.push({
          rule: "untrusted-expression-in-run",
          message: `job ${name} step ${index + 1}: \${{${expression}}} in run: is shell injection; pass it through env: and quote "$VAR"`,
        });
      }
    }
  }
  return findings;
}

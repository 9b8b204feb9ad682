/**
 * The automations workflow as both sides know it: the template ships at this path, the action builds
 * an automation's task only on these events, and the App's token exchange trusts a run of this file
 * on the default branch (`app/token-exchange/authorize-automation.ts`).
 */
export const AUTOMATIONS_WORKFLOW_PATH = ".github/workflows/agent-automations.yml";

/** The events an automations workflow may run on: GitHub's scheduler, or a person's manual dispatch. */
export const AUTOMATION_EVENTS = ["schedule", "workflow_dispatch"] as const;

/**
 * The `workflow_ref` (and `job_workflow_ref`) claim a job of the automations workflow on the default
 * branch carries: `<owner>/<repo>/<path>@refs/heads/<branch>`
 * (https://docs.github.com/en/actions/reference/security/oidc, "workflow_ref": "The ref path to the
 * workflow. For example, octocat/hello-world/.github/workflows/my-workflow.yml@refs/heads/my_branch").
 */
export function automationsWorkflowRef(repository: string, defaultBranch: string): string {
  return `${repository}/${AUTOMATIONS_WORKFLOW_PATH}@refs/heads/${defaultBranch}`;
}

/** The workflow file a `workflow_ref` claim names, without repository and ref. */
export function workflowPathOf(workflowRef: string | undefined, repository: string): string | undefined {
  if (!workflowRef) return undefined;
  const prefix = `${repository}/`.toLowerCase();
  const at = workflowRef.lastIndexOf("@");
  if (at < 0 || !workflowRef.toLowerCase().startsWith(prefix)) return undefined;
  return workflowRef.slice(prefix.length, at);
}

/**
 * The automation a manual dispatch of the template names: its `run-name` renders
 * `automation <inputs.automation>` for workflow_dispatch (GitHub's `display_title` of the run), and
 * "scheduled automations" for the schedule, which runs a list. Undefined when the title names none.
 * Only a label for the run history: callers keep it only when the repository's config defines it.
 */
export function automationOfRunTitle(displayTitle: string | undefined, event: string): string | undefined {
  if (event !== "workflow_dispatch") return undefined;
  return /^automation (\S+)$/.exec(displayTitle ?? "")?.[1];
}

/** A `workflow_run` of the automations workflow: its file, on one of the automation events. */
export function isAutomationsWorkflowRun(run: { path: string; event: string }): boolean {
  return (
    run.path.toLowerCase() === AUTOMATIONS_WORKFLOW_PATH &&
    (AUTOMATION_EVENTS as readonly string[]).includes(run.event)
  );
}

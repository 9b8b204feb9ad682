import {
  AUTOMATION_EVENTS,
  AUTOMATIONS_WORKFLOW_PATH,
  automationsWorkflowRef,
} from "../../core/automations-workflow.ts";
import { loadRepoConfig } from "../helpers/load-repo-config.ts";
import { checkActor } from "../helpers/permission-gate.ts";
import type { RunAuthorityDeps, TaskGrant } from "./authorize-run.ts";
import type { ActionsClaims } from "./oidc-verifier.ts";
import { TokenRefused } from "./oidc-verifier.ts";

const refuse = (message: string): never => {
  throw new TokenRefused(403, message);
};

/**
 * A scheduled automation has no App status comment: what authorizes it is the run itself. The OIDC
 * token (signed by GitHub, so its claims are GitHub's word) must come from a job of the automations
 * workflow file on the repository's default branch (`workflow_ref` and `job_workflow_ref`: a copy on
 * another branch, or a reusable workflow called from elsewhere, gets nothing), started by GitHub's
 * scheduler or by a manual dispatch whose actor passes the repository's actor gate
 * (`core/actor-gate.ts`, the rule the action applies to the same run), and still running. The token
 * it earns is for that one repository, with an automation's permissions.
 */
export async function authorizeAutomation(claims: ActionsClaims, deps: RunAuthorityDeps): Promise<TaskGrant> {
  const [owner = "", name = ""] = claims.repository.split("/");
  if (!(AUTOMATION_EVENTS as readonly string[]).includes(claims.event_name)) {
    refuse(
      `a run of ${AUTOMATIONS_WORKFLOW_PATH} on '${claims.event_name}' gets no token: automations run on schedule or workflow_dispatch`,
    );
  }
  const gh = await deps
    .installationFor(owner, name)
    .catch(() => refuse(`the App is not installed on ${claims.repository}, where the run is`));
  const { data: repo } = await gh.rest.repos.get({ owner, repo: name });
  const expected = automationsWorkflowRef(claims.repository, repo.default_branch).toLowerCase();
  for (const claim of ["workflow_ref", "job_workflow_ref"] as const) {
    if ((claims[claim] ?? "").toLowerCase() !== expected) {
      refuse(
        `${claim} is ${claims[claim] ?? "(missing)"}, not ${AUTOMATIONS_WORKFLOW_PATH} on the default branch ${repo.default_branch}; only that workflow file, as merged, gets an automation token`,
      );
    }
  }
  const runId = Number(claims.run_id);
  const { data: run } = await gh.rest.actions
    .getWorkflowRun({ owner, repo: name, run_id: runId })
    .catch(() => refuse(`run ${runId} of ${claims.repository} does not exist`));
  if (run.event !== claims.event_name) refuse(`run ${runId} is a ${run.event} run, not ${claims.event_name}`);
  if (run.status === "completed") refuse(`run ${runId} of ${claims.repository} has finished`);
  if (claims.event_name === "workflow_dispatch") {
    // A person's manual dispatch: the actor GitHub records for the run, through the one actor gate.
    const actor = run.triggering_actor ?? run.actor;
    const who = { login: actor?.login ?? claims.actor, type: actor?.type ?? "User" };
    const loaded = await loadRepoConfig(gh, { owner, name }, repo.default_branch);
    if (!loaded.parsed.ok) refuse(`.github/agent.yml on ${repo.default_branch} is invalid; fix it first`);
    const config = (loaded.parsed as Extract<typeof loaded.parsed, { ok: true }>).value;
    const gate = await checkActor(
      gh,
      { owner, name },
      who,
      config,
      config.permissions.minimum,
      "run an automation",
    );
    if (!gate.allowed) refuse(`the automations workflow was dispatched by ${who.login}: ${gate.message}`);
  }
  return { target: { owner, name }, kind: "automation" };
}

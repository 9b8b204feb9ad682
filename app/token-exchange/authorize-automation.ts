import {
  AUTOMATION_EVENTS,
  AUTOMATIONS_WORKFLOW_PATH,
  automationOfRunTitle,
  automationsWorkflowRef,
} from "../../core/automations-workflow.ts";
import { formatErrors } from "../../core/result.ts";
import { runnerRepoRefusal } from "../../core/runner-repository.ts";
import type { AutomationRun } from "../deps/run-recorder.ts";
import { loadRepoConfig } from "../github/load-repo-config.ts";
import { checkActor } from "../task/permission-gate.ts";
import type { RunAuthorityDeps, TaskGrant } from "./authorize-run.ts";
import type { ActionsClaims } from "./oidc-verifier.ts";
import { TokenRefused } from "./oidc-verifier.ts";

export interface AutomationGrant extends TaskGrant {
  run: AutomationRun;
}

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
 * it earns is for that one repository (or a target that names it as its runner repository), with an
 * automation's permissions.
 */
export async function authorizeAutomation(
  claims: ActionsClaims,
  deps: RunAuthorityDeps,
  /** `owner/name` the job asked a token for (the action input repository); default the run's own. */
  requested?: string,
): Promise<AutomationGrant> {
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
  // A central runner repository may ask for a target that names it as its runner repository
  // (`dispatch.repo` in the target's own .github/agent.yml, on its default branch): the same rule the
  // action applies (`core/runner-repository.ts`). Otherwise the token is for the run's own repository.
  const [targetOwner = "", targetName = ""] = (requested ?? claims.repository).split("/");
  const central = `${targetOwner}/${targetName}`.toLowerCase() !== claims.repository.toLowerCase();
  const targetGh = central
    ? await deps
        .installationFor(targetOwner, targetName)
        .catch(() =>
          refuse(`the App is not installed on ${requested}, the repository the token was asked for`),
        )
    : gh;
  const targetBranch = central
    ? (await targetGh.rest.repos.get({ owner: targetOwner, repo: targetName })).data.default_branch
    : repo.default_branch;
  const loaded = await loadRepoConfig(
    targetGh,
    { owner: targetOwner, name: targetName },
    // A central automation is granted only where the target itself names the runner repository;
    // the App-wide default is not consulted here (docs/security.md).
    { defaultBranch: targetBranch, defaultRunnerRepo: undefined },
  );
  if (!loaded.parsed.ok) {
    // The located errors travel with the refusal: a scheduled run has no status comment, so its job
    // summary is where the key to fix is named (issue 15: "a clear error in the job summary naming the key").
    const errors = formatErrors((loaded.parsed as Extract<typeof loaded.parsed, { ok: false }>).errors);
    refuse(
      `.github/agent.yml of ${targetOwner}/${targetName} on ${targetBranch} is invalid; fix it first:\n${errors}`,
    );
  }
  const config = (loaded.parsed as Extract<typeof loaded.parsed, { ok: true }>).value;
  if (central) {
    const refusal = runnerRepoRefusal({
      target: `${targetOwner}/${targetName}`,
      here: claims.repository,
      configured: config.dispatch.repo,
    });
    if (refusal) refuse(refusal);
  }
  const actor = run.triggering_actor ?? run.actor;
  const who = { login: actor?.login ?? claims.actor, type: actor?.type ?? "User" };
  if (claims.event_name === "workflow_dispatch") {
    // A person's manual dispatch: the actor GitHub records for the run, through the one actor gate,
    // on the repository the automation acts on (as the action's trigger check does).
    const gate = await checkActor(
      targetGh,
      { owner: targetOwner, name: targetName },
      who,
      config,
      config.permissions.minimum,
      "run an automation",
    );
    if (!gate.allowed) refuse(`the automations workflow was dispatched by ${who.login}: ${gate.message}`);
  }
  const named = automationOfRunTitle(run.display_title, run.event);
  const automation = named && Object.hasOwn(config.automations.tasks, named) ? named : undefined;
  return {
    target: { owner: targetOwner, name: targetName },
    kind: "automation",
    run: {
      id: runId,
      repo: claims.repository,
      url: run.html_url,
      event: run.event,
      actor: who.login,
      ...(automation ? { automation } : {}),
      ...(run.run_started_at ? { startedAt: run.run_started_at } : {}),
    },
  };
}

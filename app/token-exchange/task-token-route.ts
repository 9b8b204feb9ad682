import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";
import { z } from "zod";
import { AUTOMATIONS_WORKFLOW_PATH, workflowPathOf } from "../../core/automations-workflow.ts";
import { RUNNER_REPO_PATTERN } from "../../core/runner-repository.ts";
import { taskTokenPermissions } from "../../core/task-token-permissions.ts";
import type { RunRecorder } from "../deps/run-recorder.ts";
import type { GitHub } from "../deps/types.ts";
import { authorizeAutomation } from "./authorize-automation.ts";
import { authorizeRun } from "./authorize-run.ts";
import {
  type ActionsClaims,
  createOidcVerifier,
  type OidcVerifierOptions,
  TokenRefused,
} from "./oidc-verifier.ts";
import { MemoryReplayGuard, type ReplayGuard } from "./replay-guard.ts";

export const TASK_TOKEN_PATH = "/api/task-token";
const MAX_BODY_BYTES = 16_384;

const RequestSchema = z.strictObject({
  oidcToken: z.string().min(20).max(8_192),
  /** The repository the job acts on (`owner/name`); only an automation of a central runner repository may name another. */
  repository: z.string().regex(RUNNER_REPO_PATTERN).optional(),
});

export interface TokenExchangeOptions extends OidcVerifierOptions {
  /** Where traded tokens are remembered: the run history when there is one (`StoreReplayGuard`), else memory. */
  replay?: ReplayGuard;
  /** The run history: an automations-workflow run granted its token is recorded there (the App dispatched nothing). */
  recorder?: RunRecorder;
}

/** What the job gets: an installation token for the one target repository, with its task kind's permissions. */
export interface TaskTokenAnswer {
  token: string;
  expires_at: string;
  permissions: Record<string, string>;
  repository: string;
  app: { id: number; slug: string };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new TokenRefused(400, "the request body is too large");
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new TokenRefused(400, 'send JSON: {"oidcToken": "<the job\'s OIDC token>"}');
  }
}

/** The token names the automations workflow file (on whatever ref: `authorizeAutomation` checks that). */
function isAutomationsRun(claims: ActionsClaims): boolean {
  return workflowPathOf(claims.workflow_ref, claims.repository)?.toLowerCase() === AUTOMATIONS_WORKFLOW_PATH;
}

/**
 * `POST /api/task-token`: a job trades its GitHub Actions OIDC token for an installation token, so no
 * repository ever holds the App's private key. Verified in order: the JWT (`oidc-verifier.ts`), its
 * single use (`replay-guard.ts`), the run behind it (`authorize-run.ts`, or `authorize-automation.ts` for the automations workflow); then a token limited to the
 * task's repository and its kind's least permissions (`core/task-token-permissions.ts`) is minted.
 */
export function taskTokenRoute(app: Probot, appId: number, options: TokenExchangeOptions) {
  const verify = createOidcVerifier(options);
  const guard = options.replay ?? new MemoryReplayGuard();
  let slug: string | undefined;

  async function exchange(request: IncomingMessage): Promise<TaskTokenAnswer> {
    const parsed = RequestSchema.safeParse(await readJson(request));
    if (!parsed.success) throw new TokenRefused(400, 'send JSON: {"oidcToken": "<the job\'s OIDC token>"}');
    const claims = await verify(parsed.data.oidcToken);
    if (!(await guard.firstUse(claims.jti, claims.exp))) {
      throw new TokenRefused(
        401,
        "this OIDC token was already exchanged; request a new one for every exchange",
      );
    }
    const appOctokit = (await app.auth()) as unknown as GitHub;
    const installationOf = async (owner: string, repo: string) => {
      const { data } = await appOctokit.rest.apps.getRepoInstallation({ owner, repo });
      // The installation names its App (`app_slug`): the slug whose bot dispatches the App's runs.
      slug ??= data.app_slug;
      return data.id;
    };
    const [runnerOwner = "", runnerName = ""] = claims.repository.split("/");
    await installationOf(runnerOwner, runnerName).catch(() => {
      throw new TokenRefused(403, `the App is not installed on ${claims.repository}, where the run is`);
    });
    // A job of the automations workflow has no App dispatch behind it: its own run is the authority.
    const deps = {
      appId,
      appSlug: slug ?? "",
      installationFor: async (owner: string, name: string) =>
        (await app.auth(await installationOf(owner, name))) as unknown as GitHub,
    };
    const requested = parsed.data.repository;
    const automation = isAutomationsRun(claims)
      ? await authorizeAutomation(claims, deps, requested)
      : undefined;
    const grant = automation ?? (await authorizeRun(claims, deps));
    const granted = `${grant.target.owner}/${grant.target.name}`;
    if (requested && requested.toLowerCase() !== granted.toLowerCase()) {
      throw new TokenRefused(403, `run ${claims.run_id} acts on ${granted}, not on ${requested}`);
    }
    const permissions = taskTokenPermissions(grant.kind);
    const { data } = await appOctokit.rest.apps.createInstallationAccessToken({
      installation_id: await installationOf(grant.target.owner, grant.target.name),
      repositories: [grant.target.name],
      permissions,
    });
    if (automation) await options.recorder?.automationStarted(automation.target, automation.run, new Date());
    app.log.info(
      {
        run: claims.run_id,
        runner: claims.repository,
        target: `${grant.target.owner}/${grant.target.name}`,
        kind: grant.kind,
      },
      "task token minted",
    );
    return {
      token: data.token,
      expires_at: data.expires_at,
      permissions,
      repository: `${grant.target.owner}/${grant.target.name}`,
      app: { id: appId, slug: slug ?? "" },
    };
  }

  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    if (request.url?.split("?")[0] !== TASK_TOKEN_PATH) return false;
    const send = (status: number, body: unknown) =>
      response
        .writeHead(status, { "content-type": "application/json", "cache-control": "no-store" })
        .end(JSON.stringify(body));
    if (request.method !== "POST") {
      send(405, { message: `use POST ${TASK_TOKEN_PATH}` });
      return true;
    }
    try {
      send(200, await exchange(request));
    } catch (error) {
      if (error instanceof TokenRefused) {
        app.log.warn({ status: error.status, reason: error.message }, "task token refused");
        send(error.status, { message: error.message });
      } else {
        app.log.error({ err: error }, "task token exchange failed");
        send(502, { message: `the App could not mint a token: ${(error as Error).message}` });
      }
    }
    return true;
  };
}

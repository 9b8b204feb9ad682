import { z } from "zod";
import type { TaskKind } from "../../core/task.ts";
import type { TokenChoice } from "../job/settings.ts";
import { HostKeyToken } from "./host-key-token.ts";
import { RefreshingToken, type TaskTokenSource } from "./refreshing-token.ts";

const AnswerSchema = z.object({
  token: z.string().min(1),
  expires_at: z.string(),
  repository: z.string(),
  permissions: z.record(z.string(), z.string()),
  app: z.object({ id: z.number(), slug: z.string() }),
});
export type TaskTokenAnswer = z.infer<typeof AnswerSchema>;

/** A token given as an input (`github-token`): used as is, never refreshed. */
export function fixedToken(token: string): TaskTokenSource {
  return { current: async () => token };
}

export interface ExchangeOptions {
  /** The App's public address (action input app-url); the OIDC token's audience. */
  appUrl: string;
  /** `core.getIDToken`: a fresh OIDC token from the runner for every exchange. */
  idToken(audience: string): Promise<string>;
  /** The App id the runner's administrator configured: the answer must come from that App. */
  appId: number;
  /** The repository the task names: the token must be for it and nothing else. */
  repository: string;
  /** Called with every new token before it is used (`core.setSecret`, the redactor). */
  onToken(token: string): void;
  now?: () => number;
  fetch?: typeof fetch;
}

/**
 * The job's GitHub token, obtained from the App's token exchange (`POST <app-url>/api/task-token`
 * with the job's OIDC token) and obtained again before it expires, so a task longer than an hour
 * can still publish. Every answer is checked: the configured App, the task's repository.
 */
export class ExchangedToken extends RefreshingToken {
  constructor(private readonly options: ExchangeOptions) {
    super(options.now);
  }

  protected async obtain(): Promise<{ token: string; expiresAt: string }> {
    const { appUrl, appId, repository } = this.options;
    const audience = appUrl.replace(/\/$/, "");
    const oidcToken = await this.options.idToken(audience).catch((error: Error) => {
      throw new Error(
        `could not get the job's OIDC token (${error.message}); the workflow needs permissions: id-token: write`,
      );
    });
    const response = await (this.options.fetch ?? fetch)(`${audience}/api/task-token`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      // The repository the task acts on: a central runner repository's automation names its target.
      body: JSON.stringify({ oidcToken, repository }),
    }).catch((error: Error) => {
      throw new Error(
        `could not reach the inhouse App at ${audience} for a task token: ${error.message}; check app-url`,
      );
    });
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    if (!response.ok) {
      throw new Error(
        `the inhouse App refused a task token (${response.status}): ${body.message ?? "no reason given"}`,
      );
    }
    const answer = AnswerSchema.parse(body);
    if (answer.app.id !== appId) {
      throw new Error(
        `the token came from App ${answer.app.id}, not the configured app-id ${appId}; check app-url`,
      );
    }
    if (answer.repository.toLowerCase() !== repository.toLowerCase()) {
      throw new Error(`the App minted a token for ${answer.repository}, but the task is for ${repository}`);
    }
    this.options.onToken(answer.token);
    return { token: answer.token, expiresAt: answer.expires_at };
  }
}

/** The settings' choice: the App's exchange (app-url), the App's key on the runner host, or the token input. */
export function taskTokenSource(
  token: TokenChoice,
  context: {
    appId: number;
    repository: string;
    kind: TaskKind;
    apiUrl: string;
    idToken?: (audience: string) => Promise<string>;
    onToken(token: string): void;
  },
): TaskTokenSource {
  if ("githubToken" in token) return fixedToken(token.githubToken);
  if ("privateKeyFile" in token) {
    return new HostKeyToken({
      privateKeyFile: token.privateKeyFile,
      appId: context.appId,
      apiUrl: context.apiUrl,
      repository: context.repository,
      kind: context.kind,
      onToken: context.onToken,
    });
  }
  const idToken = context.idToken;
  if (!idToken) throw new Error("app-url is set but this runner cannot request OIDC tokens");
  return new ExchangedToken({
    appUrl: token.appUrl,
    appId: context.appId,
    repository: context.repository,
    idToken,
    onToken: context.onToken,
  });
}

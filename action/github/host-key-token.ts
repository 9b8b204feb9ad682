import { readFile } from "node:fs/promises";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import type { TaskKind } from "../../core/task.ts";
import { taskTokenPermissions } from "../../core/task-token-permissions.ts";
import { RefreshingToken } from "./refreshing-token.ts";

export interface HostKeyOptions {
  /** The App's private key (PEM) as a file on the runner host: never a repository secret. */
  privateKeyFile: string;
  appId: number;
  apiUrl: string;
  /** The task's repository, `owner/name`: the only one the token reaches. */
  repository: string;
  kind: TaskKind;
  /** Called with every new token before it is used (`core.setSecret`, the redactor). */
  onToken(token: string): void;
  now?: () => number;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Where runners cannot reach the App (docs/security.md): the runner host holds the App's key as a
 * file (action input `app-private-key-file`) and the action mints the same token the App's exchange
 * would, an installation token for the task's one repository with its kind's least permissions
 * (`core/task-token-permissions.ts`), again before it expires. The trade-off: whoever controls the
 * runner host can mint tokens for every repository of the installation.
 */
export class HostKeyToken extends RefreshingToken {
  constructor(private readonly options: HostKeyOptions) {
    super(options.now);
  }

  protected async obtain(): Promise<{ token: string; expiresAt: string }> {
    const { privateKeyFile, appId, apiUrl, repository } = this.options;
    const privateKey = await readFile(privateKeyFile, "utf8").catch((error: Error) => {
      throw new Error(
        `app-private-key-file ${privateKeyFile} cannot be read (${error.message}); put the App's .pem there on the runner host, readable by the runner's user`,
      );
    });
    const [owner = "", name = ""] = repository.split("/");
    const app = new Octokit({
      baseUrl: apiUrl,
      log: quiet,
      authStrategy: createAppAuth,
      auth: { appId, privateKey },
    });
    const { data: installation } = await app.rest.apps
      .getRepoInstallation({ owner, repo: name })
      .catch((error: Error) => {
        throw new Error(
          `the App ${appId} (key ${privateKeyFile}) has no installation on ${repository} (${error.message}); install it there, or check app-id and the key`,
        );
      });
    const { data } = await app.rest.apps.createInstallationAccessToken({
      installation_id: installation.id,
      repositories: [name],
      permissions: taskTokenPermissions(this.options.kind),
    });
    this.options.onToken(data.token);
    return { token: data.token, expiresAt: data.expires_at };
  }
}

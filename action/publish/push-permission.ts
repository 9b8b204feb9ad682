import { GitError } from "../workspace/git.ts";

/**
 * A push the token may not make: GitHub answers HTTP 403 before any pack is sent and git prints
 * `remote: Permission to <owner>/<repo>.git denied to <login>.` then `The requested URL returned error:
 * 403`. Retrying cannot help, the branch did not move: the token lacks Contents: write. Returns the
 * advice for the status comment, or undefined when the failure is something else.
 */
export function pushPermissionAdvice(error: unknown, branch: string): string | undefined {
  if (!(error instanceof GitError)) return undefined;
  const output = `${error.stdout}\n${error.stderr}`;
  const denied = /Permission to (\S+?) denied to (\S+?)\.?\s*$/m.exec(output);
  if (!denied && !/returned error: 403/.test(output)) return undefined;
  const who = denied ? ` (permission to ${denied[1]} denied to ${denied[2]})` : "";
  return [
    `GitHub refused the push to ${branch} with 403${who}: the token has no Contents: write permission.`,
    `Give the inhouse App the repository permission "Contents: Read and write" (contents: write in app.yml),`,
    "accept the new permission on the App's installation, and keep the workflow's token at",
    "permission-contents: write (with GITHUB_TOKEN: permissions: contents: write). Then run the command again.",
  ].join(" ");
}

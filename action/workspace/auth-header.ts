/**
 * The token reaches git only as an HTTP header on the command line of one command (`-c`), the way
 * actions/checkout does it: never in a URL, never in any `.git/config`, never in the sandbox's copy.
 */
export interface GitAuth {
  /** `-c` pairs for `git()`. */
  config: string[];
  /** Everything that must never appear in output: the token and its base64 form. */
  secrets: string[];
}

export function gitAuth(token: string, serverUrl = "https://github.com"): GitAuth {
  const basic = Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
  const scope = `${serverUrl.replace(/\/+$/, "")}/`;
  return {
    config: [`http.${scope}.extraheader=AUTHORIZATION: basic ${basic}`],
    secrets: [token, basic],
  };
}

/** No credential: for local remotes in tests and public mirrors. */
export const noAuth: GitAuth = { config: [], secrets: [] };

import type { components } from "@octokit/openapi-types";
import type { RouteContext } from "./context.ts";
import { runGit } from "./git-repos.ts";
import { userShape } from "./shapes/user.ts";
import type { RepoRecord } from "./state.ts";

type Commit = components["schemas"]["commit"];

/**
 * GitHub links a commit to an account by its email; an account's noreply address is
 * `<id>+<login>@users.noreply.github.com` ("Setting your commit email address",
 * https://docs.github.com/account-and-profile/setting-up-and-managing-your-personal-account-on-githubcom/managing-email-preferences/setting-your-commit-email-address).
 * An address no account has gives `author: null` in the REST answer, as on GitHub.
 */
function linkedUser(ctx: RouteContext, email: string) {
  const match = /^(\d+)\+([^@]+)@users\.noreply\.github\.com$/i.exec(email);
  if (!match) return null;
  const user = ctx.state.users.get(match[2]!);
  return user && String(user.id) === match[1] ? userShape(user, ctx.urls) : null;
}

/**
 * `GET /repos/{owner}/{repo}/pulls/{pull_number}/commits`: the commits of `base..head`, oldest
 * first, at most 250 ("Lists a maximum of 250 commits for a pull request",
 * https://docs.github.com/en/rest/pulls/pulls#list-commits-on-a-pull-request).
 */
export async function pullCommits(
  ctx: RouteContext,
  repo: RepoRecord,
  base: string,
  head: string,
): Promise<Commit[]> {
  const format = ["%H", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%T", "%P", "%B"].join("%x00");
  const out = (
    await runGit([
      "-C",
      repo.gitDir,
      "log",
      "--reverse",
      `--format=${format}%x1e`,
      "-n",
      "250",
      `${base}..${head}`,
    ])
  ).toString("utf8");
  const fullName = `${repo.owner.login}/${repo.name}`;
  const api = `${ctx.urls.api}/repos/${fullName}`;
  return out
    .split("\x1e")
    .map((entry) => entry.replace(/^\n/, ""))
    .filter((entry) => entry.includes("\x00"))
    .map((entry) => {
      const [sha, an, ae, ad, cn, ce, cd, tree, parents, message] = entry.split("\x00") as string[];
      return {
        url: `${api}/commits/${sha}`,
        sha: sha!,
        node_id: `C_${sha}`,
        html_url: `${ctx.urls.html}/${fullName}/commit/${sha}`,
        comments_url: `${api}/commits/${sha}/comments`,
        commit: {
          url: `${api}/git/commits/${sha}`,
          author: { name: an!, email: ae!, date: ad! },
          committer: { name: cn!, email: ce!, date: cd! },
          message: message!.replace(/\n+$/, ""),
          comment_count: 0,
          tree: { sha: tree!, url: `${api}/git/trees/${tree}` },
          verification: {
            verified: false,
            reason: "unsigned",
            payload: null,
            signature: null,
            verified_at: null,
          },
        },
        author: linkedUser(ctx, ae!),
        committer: linkedUser(ctx, ce!),
        parents: parents!
          .split(" ")
          .filter(Boolean)
          .map((p) => ({
            sha: p,
            url: `${api}/commits/${p}`,
            html_url: `${ctx.urls.html}/${fullName}/commit/${p}`,
          })),
      } satisfies Commit;
    });
}

import { findRepo, type RouteContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { readPath, resolveBranchOrSha, type TreeEntry } from "../git-repos.ts";
import type { Router } from "../router.ts";
import { fullRepositoryShape } from "../shapes/repository.ts";
import { userShape } from "../shapes/user.ts";
import type { RepoRecord, Role } from "../state.ts";

/** GitHub's `permission` field predates `maintain` and `triage`; it maps them down, as GitHub does. */
const LEGACY_PERMISSION: Record<Role | "none", "admin" | "write" | "read" | "none"> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

function entryShape(repo: RepoRecord, ctx: RouteContext, entry: TreeEntry, ref: string) {
  const fullName = `${repo.owner.login}/${repo.name}`;
  const url = `${ctx.urls.api}/repos/${fullName}/contents/${entry.path}?ref=${ref}`;
  const kind = entry.type === "dir" ? "tree" : "blob";
  const html = `${ctx.urls.html}/${fullName}/${kind}/${ref}/${entry.path}`;
  const git = `${ctx.urls.api}/repos/${fullName}/git/${entry.type === "dir" ? "trees" : "blobs"}/${entry.sha}`;
  return {
    type: entry.type,
    size: entry.size,
    name: entry.name,
    path: entry.path,
    sha: entry.sha,
    url,
    git_url: git,
    html_url: html,
    download_url: entry.type === "file" ? `${ctx.urls.html}/${fullName}/raw/${ref}/${entry.path}` : null,
    _links: { self: url, git, html },
  };
}

/** GitHub wraps base64 content at 60 characters with newlines; clients must cope. */
function wrapBase64(content: Buffer): string {
  return `${(content.toString("base64").match(/.{1,60}/g) ?? []).join("\n")}\n`;
}

export function registerRepoRoutes(router: Router, ctx: RouteContext): void {
  router.on("GET /repos/{owner}/{repo}", ({ params }) => ({
    status: 200,
    body: fullRepositoryShape(findRepo(ctx, params), ctx.urls),
  }));

  router.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", ({ params }) => {
    const repo = findRepo(ctx, params);
    const login = params.username;
    const user = ctx.state.users.get(login);
    if (!user) throw notFound(`${login} is not a user`);
    const role = repo.owner.login === login ? "admin" : (repo.collaborators.get(login) ?? "none");
    const permission = LEGACY_PERMISSION[role];
    return {
      status: 200,
      body: {
        permission,
        role_name: role === "none" ? "none" : role,
        user: {
          ...userShape(user, ctx.urls),
          permissions: {
            admin: role === "admin",
            maintain: role === "admin" || role === "maintain",
            push: permission === "admin" || permission === "write",
            triage: role !== "read" && role !== "none",
            pull: role !== "none",
          },
          role_name: role,
        },
      },
    };
  });

  router.on("GET /repos/{owner}/{repo}/contents/{path}", async ({ params, query, accept }) => {
    const repo = findRepo(ctx, params);
    const ref = query.get("ref") ?? repo.defaultBranch;
    const commit = await resolveBranchOrSha(repo.gitDir, ref);
    if (!commit) throw notFound(`No commit found for the ref ${ref}`);
    const found = await readPath(repo.gitDir, commit, params.path);
    if (!found) throw notFound();
    if (found.kind === "dir") {
      return { status: 200, body: found.entries.map((entry) => entryShape(repo, ctx, entry, ref)) };
    }
    if (found.kind === "other")
      throw notFound(`${params.path} is a ${found.entry.type}, which this fake does not serve`);
    return {
      status: 200,
      body: {
        ...entryShape(repo, ctx, found.entry, ref),
        type: "file" as const,
        encoding: "base64",
        content: wrapBase64(found.content),
      },
      // `mediaType: { format: "raw" }`: the bytes, as text/plain with a charset like github.com (Octokit then reads a string).
      ...(/\.raw\b/.test(accept)
        ? { raw: { contentType: "text/plain; charset=utf-8", data: found.content } }
        : {}),
    };
  });
}

import { schema as published } from "@octokit/graphql-schema";
import {
  buildClientSchema,
  type ExecutionResult,
  execute,
  GraphQLError,
  type GraphQLSchema,
  type IntrospectionQuery,
  Kind,
  parse,
  validate,
} from "graphql";
import type { BranchRules } from "./branch-rules.ts";
import { buildCommit, CommitInputError, type FileChangesInput, moveBranch } from "./commit-on-branch.ts";
import { callerUser, type RouteContext } from "./context.ts";
import { resolveRef } from "./git-repos.ts";
import type { Caller } from "./openapi-route.ts";
import { syncPullRefs } from "./pull-lookup.ts";
import { grants } from "./route-permissions.ts";

/**
 * `POST /graphql`, strict: the request is parsed and validated against GitHub's own published
 * schema (`@octokit/graphql-schema`, the schema GitHub's docs are built from), so an unknown field,
 * a missing required input field or a wrong type is refused as GitHub would (HTTP 200 with
 * `errors`; the wording is graphql-js's, GitHub's is graphql-ruby's). Only the mutation this project
 * uses is implemented, `createCommitOnBranch`
 * (https://docs.github.com/en/graphql/reference/mutations#createcommitonbranch); anything else is
 * answered with an error and recorded as a violation.
 *
 * The mutation's rules: the branch is named by `repositoryNameWithOwner` + `branchName` (an
 * optional `refs/heads/` prefix); `expectedHeadOid` must be the branch's head, else `STALE_DATA`
 * "Expected branch to point to \"<oid>\" but it did not.  Pull and try again." (the text as GitHub
 * answers it, ministryofjustice/modernisation-platform#11985); the commit is authored by the
 * credential's owner and committed like a web commit, and GitHub signs it (changelog "A simpler API
 * for authoring commits", https://github.blog/changelog/2021-09-13-a-simpler-api-for-authoring-commits);
 * branch protection and rulesets apply.
 */
let schema: GraphQLSchema | undefined;

function githubSchema(): GraphQLSchema {
  if (!schema) {
    const json = published.json as { data?: IntrospectionQuery } & IntrospectionQuery;
    schema = buildClientSchema(json.data ?? json);
  }
  return schema;
}

interface CreateCommitInput {
  branch: { repositoryNameWithOwner?: string | null; branchName?: string | null; id?: string | null };
  expectedHeadOid: string;
  message: { headline: string; body?: string | null };
  fileChanges?: FileChangesInput | null;
  clientMutationId?: string | null;
}

const failure = (type: string, message: string) => new GraphQLError(message, { extensions: { type } });
const stale = (expected: string) =>
  failure("STALE_DATA", `Expected branch to point to "${expected}" but it did not.  Pull and try again.`);

export interface GraphqlDeps {
  ctx: RouteContext;
  branchRules: BranchRules;
  caller: Caller;
}

async function createCommitOnBranch(input: CreateCommitInput, deps: GraphqlDeps) {
  const { ctx, caller } = deps;
  const { repositoryNameWithOwner, branchName, id } = input.branch;
  if (id || !repositoryNameWithOwner || !branchName) {
    throw failure(
      "UNPROCESSABLE",
      "The local GitHub locates a branch by repositoryNameWithOwner and branchName (id is not supported)",
    );
  }
  const [owner = "", name = ""] = repositoryNameWithOwner.split("/");
  const repo = ctx.state.repo(owner, name);
  if (!repo)
    throw failure(
      "NOT_FOUND",
      `Could not resolve to a Repository with the name '${repositoryNameWithOwner}'.`,
    );
  const branch = branchName.replace(/^refs\/heads\//, "");
  if (!/^[0-9a-f]{40}$/.test(input.expectedHeadOid)) {
    throw failure("UNPROCESSABLE", `"${input.expectedHeadOid}" is not a valid GitObjectID`);
  }
  const head = await resolveRef(repo.gitDir, `refs/heads/${branch}`);
  if (!head) throw failure("NOT_FOUND", `Could not resolve to a Ref with the name 'refs/heads/${branch}'.`);
  if (head !== input.expectedHeadOid) throw stale(input.expectedHeadOid);
  // "Contents" write is what committing needs, through git or the API ("Permissions required for
  // GitHub Apps"); GitHub's GraphQL answers an App without it "Resource not accessible by integration".
  if (caller.kind === "installation" && !grants(caller.permissions, { contents: "write" })) {
    throw failure("FORBIDDEN", "Resource not accessible by integration");
  }
  const refusal = deps.branchRules.apiCommitRefusal(repo, branch, caller);
  if (refusal) throw failure("UNPROCESSABLE", refusal);
  const user = callerUser(ctx, caller);
  const message = input.message.body
    ? `${input.message.headline}\n\n${input.message.body}`
    : input.message.headline;
  let oid: string;
  try {
    oid = await buildCommit({
      gitDir: repo.gitDir,
      branch,
      parent: input.expectedHeadOid,
      changes: input.fileChanges ?? {},
      message,
      author: { name: user.login, email: `${user.id}+${user.login}@users.noreply.github.com` },
      committer: { name: "GitHub", email: "noreply@github.com" },
    });
  } catch (error) {
    if (error instanceof CommitInputError) throw failure("UNPROCESSABLE", error.message);
    throw error;
  }
  if (!(await moveBranch(repo.gitDir, branch, oid, input.expectedHeadOid)))
    throw stale(input.expectedHeadOid);
  ctx.state.signedCommits.add(oid);
  const ref = `refs/heads/${branch}`;
  const fullName = `${repo.owner.login}/${repo.name}`;
  ctx.state.pushes.push({
    repo: fullName,
    ref,
    before: input.expectedHeadOid,
    after: oid,
    forced: false,
    via: "api",
  });
  await syncPullRefs(ctx, repo);
  return {
    clientMutationId: input.clientMutationId ?? null,
    commit: { oid, url: `${ctx.urls.html}/${fullName}/commit/${oid}`, message },
    ref: { name: branch, prefix: "refs/heads/" },
  };
}

/** What the local GitHub answers: the operations this project uses, nothing else. */
const IMPLEMENTED = {
  mutation: ["createCommitOnBranch", "resolveReviewThread"],
  query: ["repository"],
} as const;

/**
 * A review thread is its first comment and the replies to it; its node id is `PRRT_<first comment id>`.
 * `reviewThreads` lists a pull request's threads oldest first, each with `isResolved` and its comments
 * (https://docs.github.com/en/graphql/reference/objects#pullrequestreviewthread); reading them needs
 * Pull requests: read.
 */
function repositoryNode(args: { owner: string; name: string }, deps: GraphqlDeps) {
  const { ctx, caller } = deps;
  const repo = ctx.state.repo(args.owner, args.name);
  if (!repo)
    throw failure(
      "NOT_FOUND",
      `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`,
    );
  if (caller.kind === "installation" && !grants(caller.permissions, { pull_requests: "read" })) {
    throw failure("FORBIDDEN", "Resource not accessible by integration");
  }
  return {
    pullRequest: ({ number }: { number: number }) => {
      const pull = ctx.state.issues.find((i) => i.repo === repo && i.number === number && i.pull);
      if (!pull)
        throw failure("NOT_FOUND", `Could not resolve to a PullRequest with the number of ${number}.`);
      const roots = ctx.state.reviewComments.filter((c) => c.pull === pull && c.inReplyTo === undefined);
      return {
        reviewThreads: ({ first }: { first?: number }) => ({
          nodes: roots.slice(0, first ?? 100).map((root) => {
            const comments = ctx.state.reviewComments.filter(
              (c) => c.id === root.id || c.inReplyTo === root.id,
            );
            return {
              id: `PRRT_${root.id}`,
              isResolved: ctx.state.resolvedThreads.has(root.id),
              path: root.path,
              comments: ({ first: n }: { first?: number }) => ({
                nodes: comments.slice(0, n ?? 100).map((c) => ({ databaseId: c.id, body: c.body })),
              }),
            };
          }),
        }),
      };
    },
  };
}

/**
 * `resolveReviewThread(input: { threadId })`: marks the thread resolved; needs Pull requests: write
 * (https://docs.github.com/en/graphql/reference/mutations#resolvereviewthread).
 */
function resolveReviewThread(input: { threadId: string }, deps: GraphqlDeps) {
  const { ctx, caller } = deps;
  const id = Number(/^PRRT_(\d+)$/.exec(input.threadId)?.[1]);
  const root = ctx.state.reviewComments.find((c) => c.id === id && c.inReplyTo === undefined);
  if (!root)
    throw failure("NOT_FOUND", `Could not resolve to a node with the global id of '${input.threadId}'`);
  if (caller.kind === "installation" && !grants(caller.permissions, { pull_requests: "write" })) {
    throw failure("FORBIDDEN", "Resource not accessible by integration");
  }
  ctx.state.resolvedThreads.add(root.id);
  return { thread: { id: input.threadId, isResolved: true } };
}

/** GitHub's error objects carry `type` beside `message`, `path` and `locations`. */
function githubErrors(result: ExecutionResult) {
  return result.errors?.map((error) => {
    const { type, ...rest } = (error.extensions ?? {}) as { type?: string };
    return {
      ...(type ? { type } : {}),
      message: error.message,
      ...(error.path ? { path: error.path } : {}),
      ...(error.locations ? { locations: error.locations } : {}),
      ...(Object.keys(rest).length > 0 ? { extensions: rest } : {}),
    };
  });
}

/** Answers one GraphQL request: `{ data, errors }` with HTTP 200, as GitHub does. */
export async function answerGraphql(
  body: { query?: string; variables?: Record<string, unknown> },
  deps: GraphqlDeps,
): Promise<{ data?: unknown; errors?: unknown[]; violation?: string }> {
  if (typeof body.query !== "string")
    return { errors: [{ message: "A query attribute must be specified and must be a string." }] };
  let document: ReturnType<typeof parse>;
  try {
    document = parse(body.query);
  } catch (error) {
    return { errors: [{ message: (error as Error).message }] };
  }
  const invalid = validate(githubSchema(), document);
  if (invalid.length > 0)
    return { errors: invalid.map((error) => ({ message: error.message, locations: error.locations })) };
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const fields = operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet.selections : [];
  const names = fields.map((field) => (field.kind === Kind.FIELD ? field.name.value : field.kind));
  const kind = operation?.kind === Kind.OPERATION_DEFINITION ? operation.operation : "?";
  const supported = IMPLEMENTED[kind as keyof typeof IMPLEMENTED] as readonly string[] | undefined;
  if (names.length !== 1 || !supported?.includes(names[0]!)) {
    const violation = `GraphQL ${kind} { ${names.join(", ")} } is not implemented by the local GitHub (only mutation createCommitOnBranch or resolveReviewThread, query repository.pullRequest.reviewThreads)`;
    return { errors: [{ message: violation }], violation };
  }
  const result = await execute({
    schema: githubSchema(),
    document,
    variableValues: body.variables ?? {},
    rootValue: {
      createCommitOnBranch: ({ input }: { input: CreateCommitInput }) => createCommitOnBranch(input, deps),
      resolveReviewThread: ({ input }: { input: { threadId: string } }) => resolveReviewThread(input, deps),
      repository: (args: { owner: string; name: string }) => repositoryNode(args, deps),
    },
  });
  const errors = githubErrors(result);
  return { data: result.data ?? null, ...(errors ? { errors } : {}) };
}

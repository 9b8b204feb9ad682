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
  if (
    operation?.kind !== Kind.OPERATION_DEFINITION ||
    operation.operation !== "mutation" ||
    names.join() !== "createCommitOnBranch"
  ) {
    const violation = `GraphQL ${operation?.kind === Kind.OPERATION_DEFINITION ? operation.operation : "?"} { ${names.join(", ")} } is not implemented by the local GitHub (only mutation createCommitOnBranch)`;
    return { errors: [{ message: violation }], violation };
  }
  const result = await execute({
    schema: githubSchema(),
    document,
    variableValues: body.variables ?? {},
    rootValue: {
      createCommitOnBranch: ({ input }: { input: CreateCommitInput }) => createCommitOnBranch(input, deps),
    },
  });
  const errors = githubErrors(result);
  return { data: result.data ?? null, ...(errors ? { errors } : {}) };
}

/**
 * The offline input of `inhouse eval harvest`: a repository's closed issues and merged pull requests
 * as JSON, in the shape the GitHub CLI prints (`gh issue list --json …`, `gh pr list --json …`), so
 * an export needs no tool of ours. `inhouse eval export` writes the same shape from the REST API.
 * Field names follow gh's JSON fields (https://cli.github.com/manual/gh_pr_list, JSON FIELDS).
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { formatErrors } from "../../core/result.ts";
import { toFieldErrors } from "../../core/zod-errors.ts";

const Comment = z.looseObject({
  body: z.string(),
  createdAt: z.string(),
  author: z.looseObject({ login: z.string() }).nullish(),
});

/** One revision of an issue body: GraphQL's `userContentEdits` (oldest is the original text). */
const BodyEdit = z.looseObject({ editedAt: z.string(), body: z.string() });

export const ExportedIssueSchema = z.looseObject({
  number: z.int().positive(),
  title: z.string(),
  body: z.string().nullish(),
  author: z.looseObject({ login: z.string() }).nullish(),
  state: z.string().optional(),
  createdAt: z.string().optional(),
  closedAt: z.string().nullish(),
  comments: z.array(Comment).optional(),
  /** Optional body history; without it the body is taken as exported. */
  bodyEdits: z.array(BodyEdit).optional(),
});

export const ExportedPullSchema = z.looseObject({
  number: z.int().positive(),
  title: z.string(),
  body: z.string().nullish(),
  createdAt: z.string(),
  mergedAt: z.string().nullish(),
  mergeCommit: z.looseObject({ oid: z.string().regex(/^[0-9a-f]{7,40}$/) }).nullish(),
  baseRefName: z.string().optional(),
  closingIssuesReferences: z.array(z.looseObject({ number: z.int().positive() })).optional(),
  files: z.array(z.looseObject({ path: z.string() })).optional(),
  commits: z.array(z.looseObject({ oid: z.string() })).optional(),
});

export const RepositoryExportSchema = z.looseObject({
  /** `owner/name`, used in instance ids and reports. */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/name"),
  issues: z.array(ExportedIssueSchema),
  pulls: z.array(ExportedPullSchema),
});

export type ExportedIssue = z.infer<typeof ExportedIssueSchema>;
export type ExportedPull = z.infer<typeof ExportedPullSchema>;
export type RepositoryExport = z.infer<typeof RepositoryExportSchema>;

export class ExportFormatError extends Error {}

export async function readRepositoryExport(path: string): Promise<RepositoryExport> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new ExportFormatError(
      `cannot read the export ${path} (${(error as Error).message}); write it with \`inhouse eval export\` or the gh commands in docs/eval.md`,
    );
  }
  const parsed = RepositoryExportSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ExportFormatError(
      `${path} is not an export of issues and pull requests (expected { repository, issues, pulls } as docs/eval.md shows):\n${formatErrors(toFieldErrors(parsed.error))}`,
    );
  }
  return parsed.data;
}

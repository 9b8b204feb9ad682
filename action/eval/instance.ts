/**
 * An eval instance: one closed issue and the merged pull request that closed it, frozen as it was on
 * the day. `testFiles` and `referencePatch` are held out: they are written into a sandbox only to
 * grade, after the agent's turn, and never into a prompt.
 */
import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";

export const IssueThreadSchema = z.object({
  title: z.string(),
  body: z.string(),
  author: z.string(),
  comments: z.array(z.object({ id: z.int(), author: z.string(), createdAt: z.string(), body: z.string() })),
});

export const CandidateSchema = z.object({
  /** `owner/name#<issue>`. */
  id: z.string(),
  repository: z.string(),
  issue: z.int().positive(),
  pull: z.int().positive(),
  /** When the pull request was opened: the day the agent is put back to. */
  openedAt: z.string(),
  thread: IssueThreadSchema,
  /** The base branch at merge time: the merge commit's first parent (walked back for rebase merges). */
  baseCommit: z.string(),
  mergeCommit: z.string(),
  /** The PR's test files as merged (null: the PR deleted it). Held out. */
  testFiles: z.record(z.string(), z.string().nullable()),
  /** The PR's code changes, `git diff --binary base merge -- <code paths>`. Never shown. */
  referencePatch: z.string(),
  testCommand: z.string(),
});

export const InstanceSchema = CandidateSchema.extend({
  /** Tests that fail (or do not exist) before the reference change and pass after it. */
  failToPass: z.array(z.string()).min(1),
  /** Tests that pass both before and after. */
  passToPass: z.array(z.string()),
});

export const DroppedSchema = z.object({
  id: z.string(),
  issue: z.int().positive(),
  pull: z.int().positive().optional(),
  reason: z.string(),
});

export const InstancesFileSchema = z.object({
  repository: z.string(),
  harvestedAt: z.string(),
  instances: z.array(InstanceSchema),
  dropped: z.array(DroppedSchema),
});

export type Candidate = z.infer<typeof CandidateSchema>;
export type EvalInstance = z.infer<typeof InstanceSchema>;
export type Dropped = z.infer<typeof DroppedSchema>;
export type InstancesFile = z.infer<typeof InstancesFileSchema>;

export async function readInstancesFile(path: string): Promise<InstancesFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new Error(
      `cannot read instances from ${path} (${(error as Error).message}); write them with \`inhouse eval harvest\``,
    );
  }
  const parsed = InstancesFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `${path} is not an instances file from \`inhouse eval harvest\`: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

export async function writeInstancesFile(path: string, file: InstancesFile): Promise<void> {
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`);
}

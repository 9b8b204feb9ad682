/** Turns `--task` text or an `--issue-file` into the title and body the agent gets. */
import { readFile } from "node:fs/promises";
import type { AgentTaskText } from "../agent/types.ts";
import { UsageError } from "./args.ts";

const TITLE_MAX_CHARS = 120;

export function taskFromText(text: string): AgentTaskText {
  const trimmed = text.trim();
  if (!trimmed) throw new UsageError("the task is empty; describe what the agent should do");
  const [first = "", ...rest] = trimmed.split("\n");
  const title = first
    .replace(/^#+\s*/, "")
    .trim()
    .slice(0, TITLE_MAX_CHARS);
  const body = rest.join("\n").trim();
  return { kind: "fix-issue", title, body: body || trimmed };
}

export async function loadTaskText(
  task: string | undefined,
  issueFile: string | undefined,
): Promise<AgentTaskText> {
  if (task !== undefined) return taskFromText(task);
  try {
    return taskFromText(await readFile(issueFile!, "utf8"));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `cannot read --issue-file ${issueFile}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

/** Branch-safe slug of the title: "Fix sum() for negatives" → "fix-sum-for-negatives". */
export function slugify(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "task";
}

/**
 * results.jsonl: one line per finished (instance, profile), appended and flushed as each one ends,
 * so an eval that is killed resumes where it stopped. A line cut by the kill is ignored; a harness
 * error is kept for the record but run again.
 */
import { appendFile, readFile } from "node:fs/promises";
import { type InstanceResult, InstanceResultSchema } from "./result.ts";

export const resultKey = (profile: string, instance: string) => `${profile}\u0000${instance}`;

export async function readResults(path: string): Promise<InstanceResult[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const latest = new Map<string, InstanceResult>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let parsed: ReturnType<typeof InstanceResultSchema.safeParse>;
    try {
      parsed = InstanceResultSchema.safeParse(JSON.parse(line));
    } catch {
      continue;
    }
    if (parsed.success) latest.set(resultKey(parsed.data.profile, parsed.data.instance), parsed.data);
  }
  return [...latest.values()];
}

/** A line cut by a kill would glue onto the next one: end it first. */
export async function endCutLine(path: string): Promise<void> {
  const text = await readFile(path, "utf8").catch(() => "");
  if (text && !text.endsWith("\n")) await appendFile(path, "\n");
}

export async function appendResult(path: string, result: InstanceResult): Promise<void> {
  await appendFile(path, `${JSON.stringify(result)}\n`);
}

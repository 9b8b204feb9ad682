/** The tools a task gets, their specs for the model, and the one place a call is parsed, validated and run. */
import { z } from "zod";
import { didYouMean } from "../../core/did-you-mean.ts";
import type { TaskKind } from "../../core/task.ts";
import type { ToolCall, ToolSpec } from "../chat/types.ts";
import { editFileTool } from "./edit-file.ts";
import { finishTool } from "./finish.ts";
import { listFilesTool } from "./list-files.ts";
import { readFileTool } from "./read-file.ts";
import { reportFindingTool } from "./report-finding.ts";
import { reviewCommentTool } from "./review-comment.ts";
import { runTool } from "./run-command.ts";
import { searchTool } from "./search.ts";
import { asToolError, type ToolErrorKind } from "./tool-error.ts";
import type { Tool, ToolContext, ToolOutcome } from "./types.ts";
import { writeFileTool } from "./write-file.ts";

const ALL_TOOLS = [listFilesTool, readFileTool, searchTool, editFileTool, writeFileTool, runTool, finishTool];

const READ_AND_RUN = ALL_TOOLS.filter((tool) => tool.name === "run" || !tool.writes);

/**
 * A review changes nothing: no file-writing tools, plus `review_comment`. `run` stays so the
 * reviewer can run the tests; whatever it changes is never published for a review. An automation
 * that reports findings (output: issue) is read-only the same way, with `report_finding`.
 */
export function toolsForTask(task: { kind: TaskKind; reportsFindings?: boolean }): Tool[] {
  if (task.kind === "review") return [...READ_AND_RUN, reviewCommentTool];
  if (task.reportsFindings) return [...READ_AND_RUN, reportFindingTool];
  return ALL_TOOLS;
}

export function toolSpecs(tools: Tool[]): ToolSpec[] {
  return tools.map((tool) => {
    if (tool.parameters)
      return { name: tool.name, description: tool.description, parameters: tool.parameters };
    const { $schema: _drop, ...parameters } = z.toJSONSchema(tool.schema, { io: "input" }) as Record<
      string,
      unknown
    >;
    return { name: tool.name, description: tool.description, parameters };
  });
}

export type ToolCallResult =
  | (ToolOutcome & { ok: true })
  | { ok: false; kind: ToolErrorKind; output: string; label?: string };

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(arguments)"}: ${issue.message}`)
    .join("; ");
}

/** Parses, validates and runs one call. Every mistake the model can fix comes back as a recoverable result. */
export async function executeToolCall(
  call: ToolCall,
  tools: Tool[],
  context: ToolContext,
): Promise<ToolCallResult> {
  const tool = tools.find((candidate) => candidate.name === call.name);
  if (!tool) {
    const names = tools.map((candidate) => candidate.name);
    const guess = didYouMean(call.name, names);
    return {
      ok: false,
      kind: "recoverable",
      output: `Unknown tool '${call.name}'.${guess ? ` Did you mean '${guess}'?` : ""} Available tools: ${names.join(", ")}.`,
    };
  }
  let raw: unknown;
  try {
    raw = call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
  } catch (error) {
    return {
      ok: false,
      kind: "recoverable",
      output: `The arguments of ${tool.name} are not valid JSON (${(error as Error).message}). Send one JSON object, for example ${JSON.stringify(Object.fromEntries(Object.keys((z.toJSONSchema(tool.schema) as { properties?: object }).properties ?? {}).map((k) => [k, "…"])))}.`,
    };
  }
  const parsed = tool.schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      kind: "recoverable",
      output: `Invalid arguments for ${tool.name}: ${formatIssues(parsed.error)}.`,
    };
  }
  try {
    return { ok: true, ...(await tool.run(parsed.data, context)) };
  } catch (error) {
    const toolError = asToolError(error);
    return { ok: false, kind: toolError.kind, output: `${tool.name} failed: ${toolError.message}` };
  }
}

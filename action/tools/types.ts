import type { z } from "zod";
import type { Sandbox } from "../sandbox/types.ts";

/** An inline review comment proposed by the model in a `review` task (or a finding, `report_finding`). */
export interface ReviewComment {
  path: string;
  line: number;
  body: string;
  /** Replacement text for that line, rendered as a suggestion block. */
  suggestion?: string;
}

export interface ToolContext {
  sandbox: Sandbox;
  /** Collected by `review_comment` in review tasks. */
  reviewComments: ReviewComment[];
  /** Upper bound for one command a tool runs (the time left in the budget), whatever the model asks for. */
  maxCommandMs: number;
}

export interface ToolOutcome {
  output: string;
  /** Set by `finish`: the loop verifies before it accepts. */
  finish?: { summary: string };
  /** Short label for the elided-output placeholder, such as the command that ran. */
  label?: string;
}

export interface Tool<Schema extends z.ZodType = z.ZodType> {
  name: string;
  /** One or two sentences the model reads to decide when to use it. */
  description: string;
  schema: Schema;
  /** The JSON schema offered to the model, when it is not derived from `schema` (an MCP server's own). */
  parameters?: Record<string, unknown>;
  /** Changes files; left out of review tasks. */
  writes: boolean;
  run(args: z.infer<Schema>, context: ToolContext): Promise<ToolOutcome>;
}

/** Keeps the argument type of `run` tied to the schema. */
export function defineTool<Schema extends z.ZodType>(tool: Tool<Schema>): Tool {
  return tool as unknown as Tool;
}

import { z } from "zod";
import { defineTool } from "./types.ts";
import { workspaceRelative } from "./workspace-path.ts";

const schema = z.strictObject({
  path: z.string().min(1).describe("File the finding is in, relative to the repository root"),
  line: z.int().min(1).describe("Line number of the finding in that file (1 for the file as a whole)"),
  body: z
    .string()
    .min(1)
    .describe("What is risky there and what to do about it (Markdown, one or two sentences)"),
});

/**
 * For automations whose output is an issue (a scan, an audit): each call is one finding, listed
 * with its file and line in the automation's issue. No findings means nothing to report.
 */
export const reportFindingTool = defineTool({
  name: "report_finding",
  description:
    "Record one finding (file, line, what is wrong) for the automation's issue. Call it once per finding; the issue lists them all.",
  schema,
  writes: false,
  async run({ path, line, body }, { reviewComments }) {
    const relative = workspaceRelative(path);
    reviewComments.push({ path: relative, line, body });
    return {
      output: `Finding recorded at ${relative}:${line} (${reviewComments.length} so far).`,
      label: "report_finding",
    };
  },
});

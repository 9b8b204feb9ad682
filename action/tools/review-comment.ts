import { z } from "zod";
import { defineTool } from "./types.ts";
import { workspaceRelative } from "./workspace-path.ts";

const schema = z.strictObject({
  path: z.string().min(1).describe("File the comment is about, relative to the repository root"),
  line: z.int().min(1).describe("Line number in the pull request's version of the file"),
  body: z.string().min(1).describe("The comment (Markdown)"),
  suggestion: z.string().optional().describe("Replacement text for that line, shown as a suggestion"),
});

export const reviewCommentTool = defineTool({
  name: "review_comment",
  description:
    "Leave an inline review comment on one line of a file, optionally with a suggested replacement.",
  schema,
  writes: false,
  async run({ path, line, body, suggestion }, { reviewComments }) {
    const relative = workspaceRelative(path);
    reviewComments.push({ path: relative, line, body, ...(suggestion !== undefined ? { suggestion } : {}) });
    return {
      output: `Comment recorded on ${relative}:${line} (${reviewComments.length} so far).`,
      label: "review_comment",
    };
  },
});

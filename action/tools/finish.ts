import { z } from "zod";
import { defineTool } from "./types.ts";

const schema = z.strictObject({
  summary: z
    .string()
    .min(1)
    .describe("What you changed and why, for the pull request description (Markdown, a few sentences)"),
});

export const finishTool = defineTool({
  name: "finish",
  description:
    "Call when the task is done. The test command then runs; if it fails you get the output and continue.",
  schema,
  writes: false,
  async run({ summary }) {
    return { output: "Finish requested; verifying.", finish: { summary } };
  },
});

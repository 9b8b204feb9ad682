import type { SummaryWriter } from "../../action/summary/job-summary.ts";

/**
 * A job summary writer that appends what the action writes to `out`, one entry per call: a heading
 * as `# text`, raw text as it is, each table row as its cells joined by ` | `. What the runner would
 * show on the run's page, in a form a test can search line by line.
 */
export function recordJobSummary(out: string[]): SummaryWriter {
  const writer: SummaryWriter = {
    addHeading: (text) => {
      out.push(`# ${text}`);
      return writer;
    },
    addRaw: (text) => {
      out.push(text);
      return writer;
    },
    addTable: (rows) => {
      for (const row of rows)
        out.push(row.map((cell) => (typeof cell === "string" ? cell : cell.data)).join(" | "));
      return writer;
    },
    write: async () => writer,
  };
  return writer;
}

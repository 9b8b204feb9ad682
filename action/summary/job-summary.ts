import type { AgentResult } from "../agent/types.ts";
import type { CutText } from "../github/long-bodies.ts";
import { verificationLine } from "../publish/pr-body.ts";

/** The part of `core.summary` used here, so tests can capture what would be written. */
export interface SummaryWriter {
  addHeading(text: string, level?: number): SummaryWriter;
  addRaw(text: string, addEOL?: boolean): SummaryWriter;
  addTable(rows: ({ data: string; header?: boolean } | string)[][]): SummaryWriter;
  write(): Promise<unknown>;
}

export interface SummaryFacts {
  title: string;
  outcome: string;
  phases: { name: string; ms: number }[];
  result?: AgentResult;
  link?: string;
  auditPath?: string;
  /** Texts GitHub could not take whole (over 65,536 characters): published cut, kept here entire. */
  cut?: CutText[];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The job summary: what happened, phase times, verification, tokens. */
export async function writeJobSummary(summary: SummaryWriter, facts: SummaryFacts): Promise<void> {
  summary
    .addHeading(`inhouse: ${facts.title}`, 2)
    .addRaw(`**${facts.outcome}**${facts.link ? ` · ${facts.link}` : ""}`, true);
  summary.addHeading("Phases", 3).addTable([
    [
      { data: "phase", header: true },
      { data: "duration", header: true },
    ],
    ...facts.phases.map((p) => [p.name, seconds(p.ms)]),
  ]);
  const r = facts.result;
  if (r) {
    summary.addHeading("Agent", 3).addTable([
      [
        { data: "measure", header: true },
        { data: "value", header: true },
      ],
      ["outcome", `${r.outcome}: ${r.reason}`],
      ["verification", verificationLine(r)],
      ["turns", String(r.turns)],
      [
        "tokens (prompt / completion / total)",
        `${r.tokens.prompt} / ${r.tokens.completion} / ${r.tokens.total}${r.tokens.estimated ? " (estimated)" : ""}`,
      ],
      ["agent time", seconds(r.durationMs)],
    ]);
  }
  if (facts.cut && facts.cut.length > 0) {
    summary.addHeading("Texts cut to fit GitHub", 3);
    for (const text of facts.cut) {
      const fence = "`".repeat(Math.max(3, ...[...text.text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      summary.addRaw(
        `<details><summary>The whole ${text.what} (${text.chars.toLocaleString("en-US")} characters)</summary>\n\n${fence}markdown\n${text.text}\n${fence}\n\n</details>`,
        true,
      );
    }
  }
  if (facts.auditPath)
    summary.addRaw(`Audit log: \`${facts.auditPath}\` (uploaded as the run's artifact)`, true);
  await summary.write();
}

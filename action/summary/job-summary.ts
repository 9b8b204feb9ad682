import type { AgentResult } from "../agent/types.ts";
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
  if (facts.auditPath)
    summary.addRaw(`Audit log: \`${facts.auditPath}\` (uploaded as the run's artifact)`, true);
  await summary.write();
}

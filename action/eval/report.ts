/**
 * The eval report: per profile, the resolved rate with its 95% confidence interval, tokens and
 * minutes per instance, cost, and every instance's result; the best profile for the repository.
 * The same numbers as JSON (for tools and the run history) and Markdown (for people).
 */
import { wilsonInterval } from "./confidence.ts";
import type { EvalInstance } from "./instance.ts";
import type { InstanceResult } from "./result.ts";

export interface ProfileSummary {
  profile: string;
  model: string;
  instances: number;
  resolved: number;
  errors: number;
  resolvedRate: number;
  confidence95: { low: number; high: number };
  tokensPerInstance: number;
  minutesPerInstance: number;
  /** Null when the profile has no price. */
  cost: number | null;
  costPerInstance: number | null;
}

export interface EvalReport {
  repository: string;
  generatedAt: string;
  instances: string[];
  profiles: ProfileSummary[];
  /** Highest resolved rate; ties go to the lower cost, then the fewer tokens. */
  best?: string;
  results: InstanceResult[];
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

function summarise(profile: string, results: InstanceResult[]): ProfileSummary {
  const resolved = results.filter((r) => r.resolved).length;
  const costs = results.map((r) => r.cost);
  const priced = costs.every((cost) => cost !== null) && costs.length > 0;
  const cost = priced ? costs.reduce((sum: number, c) => sum + (c ?? 0), 0) : null;
  return {
    profile,
    model: results[0]?.model ?? "",
    instances: results.length,
    resolved,
    errors: results.filter((r) => r.status === "error").length,
    resolvedRate: results.length ? resolved / results.length : 0,
    confidence95: wilsonInterval(resolved, results.length),
    tokensPerInstance: Math.round(mean(results.map((r) => r.tokens.total))),
    minutesPerInstance: mean(results.map((r) => r.durationMs / 60_000)),
    cost,
    costPerInstance: cost === null ? null : cost / results.length,
  };
}

function better(a: ProfileSummary, b: ProfileSummary): number {
  if (a.resolvedRate !== b.resolvedRate) return b.resolvedRate - a.resolvedRate;
  if (a.cost !== null && b.cost !== null && a.cost !== b.cost) return a.cost - b.cost;
  return a.tokensPerInstance - b.tokensPerInstance;
}

export function buildReport(
  repository: string,
  instances: EvalInstance[],
  profileNames: string[],
  results: InstanceResult[],
): EvalReport {
  const profiles = profileNames.map((name) =>
    summarise(
      name,
      results.filter((r) => r.profile === name),
    ),
  );
  const ranked = profiles.filter((p) => p.instances > 0).sort(better);
  return {
    repository,
    generatedAt: new Date().toISOString(),
    instances: instances.map((i) => i.id),
    profiles,
    ...(ranked[0] && ranked[0].resolved > 0 ? { best: ranked[0].profile } : {}),
    results,
  };
}

const percent = (x: number) => `${(100 * x).toFixed(0)}%`;
const money = (x: number | null) => (x === null ? "n/a (no price)" : x.toFixed(4));

export function reportMarkdown(report: EvalReport): string {
  const lines = [
    `# inhouse eval: ${report.repository}`,
    "",
    `${report.instances.length} instances, generated ${report.generatedAt}.`,
    "",
    "| profile | model | resolved | rate (95% CI) | tokens / instance | minutes / instance | cost | errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.profiles.map(
      (p) =>
        `| ${p.profile}${p.profile === report.best ? " (best)" : ""} | ${p.model} | ${p.resolved}/${p.instances} | ${percent(p.resolvedRate)} (${percent(p.confidence95.low)}–${percent(p.confidence95.high)}) | ${p.tokensPerInstance} | ${p.minutesPerInstance.toFixed(2)} | ${money(p.cost)} | ${p.errors} |`,
    ),
    "",
    "## Per instance",
    "",
    `| instance | ${report.profiles.map((p) => p.profile).join(" | ")} |`,
    `| --- | ${report.profiles.map(() => "---").join(" | ")} |`,
  ];
  for (const id of report.instances) {
    const cells = report.profiles.map((p) => {
      const r = report.results.find((x) => x.instance === id && x.profile === p.profile);
      if (!r) return "not run";
      if (r.status === "error") return `error: ${r.reason.split("\n")[0]}`;
      const tests = `FAIL_TO_PASS ${r.failToPass.passed}/${r.failToPass.total}, PASS_TO_PASS ${r.passToPass.passed}/${r.passToPass.total}`;
      return `${r.resolved ? "✅ resolved" : "❌ not resolved"} (${tests}; ${r.outcome}, ${r.tokens.total} tokens)`;
    });
    lines.push(`| ${id} | ${cells.join(" | ")} |`);
  }
  if (report.best) lines.push("", `Best profile for ${report.repository}: **${report.best}**.`);
  return `${lines.join("\n")}\n`;
}

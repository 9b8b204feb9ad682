import type { GroupStats } from "../../../store/queries/weekly-stats.ts";
import { barChart } from "../render/charts.ts";
import { formatCost, formatTokens, percent } from "../render/format.ts";
import { type Html, html } from "../render/html.ts";

/**
 * The repositories page and the models page: one row per group with its rates and totals over the
 * last weeks, and a chart per week of runs (succeeded in green) and of cost.
 */
export function weeklyPageBody(input: {
  title: string;
  groupLabel: string;
  groups: GroupStats[];
  currency: string;
  weeks: number;
}): Html {
  if (input.groups.length === 0) {
    return html`<h1>${input.title}</h1><p class="empty">No runs in the last ${input.weeks} weeks in repositories you can read.</p>`;
  }
  const rows = input.groups.map((g) => {
    const t = g.total;
    const runs = barChart(
      `Runs per week in ${g.group}`,
      g.weeks.map((w) => ({
        label: w.week,
        parts: [
          { value: w.succeeded, className: "ok", title: `${w.succeeded} succeeded` },
          { value: w.runs - w.succeeded, className: "other", title: `${w.runs - w.succeeded} other` },
        ],
      })),
      220,
      60,
    );
    const cost = barChart(
      `Cost per week in ${g.group}`,
      g.weeks.map((w) => ({
        label: w.week,
        parts: [{ value: w.cost, className: "cost", title: formatCost(w.cost, input.currency) }],
      })),
      220,
      60,
    );
    return html`<tr><td>${g.group}</td><td class="num">${t.runs}</td><td class="num">${percent(t.succeeded, t.runs)}</td>
<td class="num">${t.pulls}</td><td class="num">${percent(t.merged, t.pulls)}</td><td class="num">${formatTokens(t.tokens)}</td>
<td class="num">${Math.round(t.minutes)}</td><td class="num">${formatCost(t.cost, input.currency)}</td><td>${runs}</td><td>${cost}</td></tr>`;
  });
  return html`<h1>${input.title}</h1><p>The last ${input.weeks} weeks (refused tasks not counted).</p>
<table><thead><tr><th>${input.groupLabel}</th><th class="num">Runs</th><th class="num">Succeeded</th><th class="num">PRs</th><th class="num">Merged</th><th class="num">Tokens</th><th class="num">Minutes</th><th class="num">Cost</th><th>Runs per week</th><th>Cost per week</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

import type { EvalResultRow } from "../../../store/schema.ts";
import { formatCost, formatTokens, formatWhen } from "../render/format.ts";
import { type Html, html } from "../render/html.ts";

const pct = (x: number) => `${Math.round(100 * x)}%`;

/**
 * The models page's eval section: the latest `inhouse eval` of each repository the reader can see,
 * one row per profile, the repository's best profile marked.
 */
export function evalResultsSection(rows: EvalResultRow[], currency: string): Html {
  if (rows.length === 0) {
    return html`<h2>Eval results</h2><p class="empty">No eval recorded for repositories you can read. Run <code>inhouse eval run</code> with DATABASE_URL set (docs/eval.md).</p>`;
  }
  const body = rows.map(
    (r) => html`<tr><td>${r.repository}</td><td>${r.profile}${r.best ? " ★ best" : ""}</td><td>${r.model}</td>
<td class="num">${r.resolved}/${r.instances}</td><td class="num">${pct(r.instances ? r.resolved / r.instances : 0)} (${pct(r.ci_low)}–${pct(r.ci_high)})</td>
<td class="num">${formatTokens(r.tokens_per_instance)}</td><td class="num">${r.minutes_per_instance.toFixed(1)}</td><td class="num">${formatCost(r.cost, currency)}</td><td>${formatWhen(new Date(r.evaluated_at))}</td></tr>`,
  );
  return html`<h2>Eval results</h2><p>Each profile replaying the repository's own closed issues (<code>inhouse eval</code>); the interval is 95%.</p>
<table><thead><tr><th>Repository</th><th>Profile</th><th>Model</th><th class="num">Resolved</th><th class="num">Rate</th><th class="num">Tokens / instance</th><th class="num">Minutes / instance</th><th class="num">Cost</th><th>Evaluated</th></tr></thead>
<tbody>${body}</tbody></table>`;
}

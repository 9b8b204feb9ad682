import { encodeCursor, type RunCursor, type RunFilters } from "../../../store/queries/runs-page.ts";
import { type RunRow, runStates } from "../../../store/schema.ts";
import { formatCost, formatDuration, formatTokens, formatWhen } from "../render/format.ts";
import { type Html, html } from "../render/html.ts";

const KINDS = ["fix-issue", "fix-pr", "review", "automation"];

function filterForm(filters: RunFilters, repositories: readonly string[]): Html {
  const option = (value: string, selected: string | undefined, label = value) =>
    html`<option value="${value}"${value === (selected ?? "") ? html` selected` : ""}>${label}</option>`;
  return html`<form class="filters" method="get" action="/dashboard/runs">
<label>Repository<select name="repository">${option("", filters.repository, "all")}${repositories.map((r) => option(r, filters.repository))}</select></label>
<label>Kind<select name="kind">${option("", filters.kind, "all")}${KINDS.map((k) => option(k, filters.kind))}</select></label>
<label>Outcome<select name="state">${option("", filters.state, "all")}${runStates.map((s) => option(s, filters.state))}</select></label>
<label>Actor<input name="actor" value="${filters.actor ?? ""}" size="12"></label>
<label>From<input type="date" name="from" value="${filters.from ?? ""}"></label>
<label>To<input type="date" name="to" value="${filters.to ?? ""}"></label>
<button type="submit">Filter</button> <a href="/dashboard/runs">Clear</a></form>`;
}

function query(filters: RunFilters, after?: RunCursor): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, String(value));
  if (after) params.set("after", encodeCursor(after));
  const text = params.toString();
  return text ? `?${text}` : "";
}

function runRow(run: RunRow, currency: string): Html {
  const tokens = (run.prompt_tokens ?? 0) + (run.completion_tokens ?? 0);
  const what = run.number ? `#${run.number}` : (run.automation ?? "");
  return html`<tr>
<td><a href="/dashboard/runs/${run.id}">${formatWhen(run.dispatched_at)}</a></td>
<td>${run.repository} ${what}</td><td>${run.kind}</td><td>${run.actor}</td>
<td><span class="state state-${run.state}">${run.state}</span>${run.pr_state ? html` <span class="state">PR ${run.pr_state}</span>` : ""}</td>
<td class="num">${run.turns === null ? "–" : formatTokens(tokens)}</td><td class="num">${formatCost(run.cost, currency)}</td>
<td class="num">${formatDuration(run.duration_s)}</td></tr>`;
}

export function runsPageBody(input: {
  runs: RunRow[];
  filters: RunFilters;
  repositories: readonly string[];
  next?: RunCursor;
  paged: boolean;
  currency: string;
}): Html {
  const { runs, filters } = input;
  const table = runs.length
    ? html`<table><thead><tr><th>Dispatched</th><th>Where</th><th>Kind</th><th>Actor</th><th>Outcome</th><th class="num">Tokens</th><th class="num">Cost</th><th class="num">Duration</th></tr></thead>
<tbody>${runs.map((run) => runRow(run, input.currency))}</tbody></table>`
    : html`<p class="empty">No runs match${input.repositories.length ? "" : ": you can read no repository where the App is installed"}.</p>`;
  const pager = html`<nav class="pager">${input.paged ? html`<a href="/dashboard/runs${query(filters)}">← Newest</a>` : ""}${input.next ? html`<a rel="next" href="/dashboard/runs${query(filters, input.next)}">Older →</a>` : ""}</nav>`;
  return html`<h1>Runs</h1>${filterForm(filters, input.repositories)}${table}${pager}`;
}

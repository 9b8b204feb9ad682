import type { RunRow } from "../../../store/schema.ts";
import { phaseTimeline } from "../render/charts.ts";
import { formatCost, formatDuration, formatTokens, formatWhen, statusLineText } from "../render/format.ts";
import { type Html, html, safeHref } from "../render/html.ts";

function link(url: string | null | undefined, text: string): Html | string {
  const href = safeHref(url);
  return href ? html`<a href="${href}">${text}</a>` : "–";
}

/** One run: where it came from, its phases, tokens, verification and every link out. */
export function runPageBody(run: RunRow, webUrl: string, currency: string): Html {
  const thread = run.number ? `${webUrl}/${run.repository}/issues/${run.number}` : undefined;
  const pull = run.pr_number ? `${webUrl}/${run.repository}/pull/${run.pr_number}` : undefined;
  const title = `${run.repository}${run.number ? ` #${run.number}` : ""} · ${run.kind}`;
  const when = (date: Date | null) => (date ? formatWhen(date) : "–");
  return html`<h1>${title}</h1>
<p><span class="state state-${run.state}">${run.state}</span>${run.reason ? html` ${statusLineText(run.reason)}` : ""}</p>
<h2>Phases</h2>${phaseTimeline(run.phases ?? [])}
<h2>Facts</h2><dl class="facts">
<dt>Asked by</dt><dd>${run.actor} (${run.trigger_event ?? run.source})</dd>
<dt>Dispatched</dt><dd>${when(run.dispatched_at)}</dd>
<dt>Workflow run</dt><dd>queued ${when(run.run_queued_at)}, started ${when(run.started_at)}, completed ${when(run.completed_at)}${run.conclusion ? ` (${run.conclusion})` : ""}</dd>
<dt>Runner</dt><dd>${run.runner ?? "–"}</dd>
<dt>Model profile</dt><dd>${run.profile ?? "–"}</dd>
<dt>Outcome</dt><dd>${run.outcome ?? "–"} after ${run.turns ?? "–"} turns</dd>
<dt>Tokens</dt><dd>${formatTokens(run.prompt_tokens)} prompt, ${formatTokens(run.completion_tokens)} completion</dd>
<dt>Cost</dt><dd>${formatCost(run.cost, currency)}</dd>
<dt>Duration</dt><dd>${formatDuration(run.duration_s)}</dd>
<dt>Verification</dt><dd>${run.verification ?? "–"}</dd>
<dt>Blocked hosts</dt><dd>${run.blocked_hosts?.length ? run.blocked_hosts.join(", ") : "none"}</dd>
<dt>Pull request</dt><dd>${pull ? html`${link(pull, `#${run.pr_number}`)} (${run.pr_state ?? "open"})` : "–"}</dd>
</dl>
<h2>Links</h2><ul>
<li>Thread: ${link(thread, thread ? `${run.repository}#${run.number}` : "")}</li>
<li>Published: ${link(run.link, run.link ?? "")}</li>
<li>Workflow run: ${link(run.workflow_run_url, run.workflow_run_id ? `#${run.workflow_run_id}` : "")}</li>
<li>Audit log artifact: ${link(run.audit_url, "artifacts of the workflow run")}</li>
</ul><p><a href="/dashboard/runs">← All runs</a></p>`;
}

import type { SentryFrame, SentryIssue } from "./sentry-alert.ts";
import { fenced, safeLink, untrustedLine } from "./untrusted-text.ts";

/** Frames nearest the error are the useful ones; a deep trace keeps its last 30. */
export const MAX_FRAMES = 30;
const MAX_TITLE = 200;

function frameLine(frame: SentryFrame): string {
  const file = frame.filename ?? frame.abs_path ?? frame.module ?? "?";
  const where = [file, frame.lineno, frame.colno].filter((part) => part !== null && part !== undefined);
  const name = frame.function ?? "?";
  return `${frame.in_app ? "  " : "  (lib) "}at ${name} (${where.join(":")})`;
}

/** The stack trace, oldest frame first as Sentry sends it, cleaned like any untrusted text. */
export function stackTraceText(issue: SentryIssue): string | undefined {
  if (issue.frames.length === 0) return undefined;
  const kept = issue.frames.slice(-MAX_FRAMES);
  const cut = issue.frames.length - kept.length;
  const lines = [
    ...(issue.exception ? [untrustedLine(issue.exception, 500)] : []),
    ...(cut > 0 ? [`  … ${cut} older frames left out`] : []),
    ...kept.map((frame) => untrustedLine(frameLine(frame), 400)),
  ];
  return lines.join("\n");
}

export function sentryIssueTitle(issue: SentryIssue): string {
  return `Sentry: ${untrustedLine(issue.title || "(untitled error)", MAX_TITLE)}`;
}

/** The GitHub issue body: what a person triaging the error needs, and a link back. */
export function sentryIssueBody(issue: SentryIssue): string {
  const seen = [
    issue.firstSeen ? `first seen ${untrustedLine(issue.firstSeen, 40)}` : undefined,
    issue.lastSeen ? `last seen ${untrustedLine(issue.lastSeen, 40)}` : undefined,
    issue.count ? `${untrustedLine(issue.count, 20)} events` : undefined,
  ].filter(Boolean);
  const link = safeLink(issue.link);
  const trace = stackTraceText(issue);
  return [
    `**Error:** ${untrustedLine(issue.title || "(untitled error)", 500)}`,
    ...(issue.culprit ? [`**Culprit:** ${untrustedLine(issue.culprit, 500)}`] : []),
    `**Sentry project:** ${untrustedLine(issue.project, 100)} · issue ${untrustedLine(issue.id, 40)}`,
    ...(seen.length ? [`**Seen:** ${seen.join(" · ")}`] : []),
    ...(link ? [`[Open in Sentry](${link})`] : []),
    ...(trace ? ["", "### Stack trace (most recent call last)", "", fenced(trace)] : []),
    "",
    "<sub>Opened by inhouse from a Sentry alert. The text above comes from Sentry and is treated as untrusted input.</sub>",
  ].join("\n");
}

/** The comment on the existing issue when the same Sentry issue alerts again. */
export function sentryRepeatComment(issue: SentryIssue): string {
  const link = safeLink(issue.link);
  const when = issue.lastSeen ? ` (last seen ${untrustedLine(issue.lastSeen, 40)})` : "";
  const count = issue.count ? `, ${untrustedLine(issue.count, 20)} events so far` : "";
  return `🔁 Sentry alerted again on this error${when}${count}.${link ? ` [Open in Sentry](${link})` : ""}`;
}

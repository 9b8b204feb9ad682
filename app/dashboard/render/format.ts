export function formatTokens(tokens: number | null | undefined): string {
  if (tokens === null || tokens === undefined) return "–";
  if (tokens >= 1_000_000) return `${(tokens / 1_000_000).toFixed(1)}M`;
  if (tokens >= 1_000) return `${(tokens / 1_000).toFixed(1)}k`;
  return String(tokens);
}

export function formatCost(cost: number | null | undefined, currency = "$"): string {
  if (cost === null || cost === undefined) return "–";
  return `${currency}${cost < 10 ? cost.toFixed(2) : cost.toFixed(0)}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "–";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

export function formatWhen(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : "–";
}

/**
 * A status comment's first line (the run's recorded reason) as plain text: GitHub renders its
 * Markdown and its leading emoji; the dashboard shows the words, since the state badge beside it
 * already says how the run ended.
 */
export function statusLineText(line: string): string {
  return line
    .replace(/^(?:\p{Extended_Pictographic}|\u{FE0F}|\u{200D}|\s)+/u, "")
    .replace(/\*\*(.+?)\*\*|__(.+?)__|`([^`]+)`/g, (_, bold, under, code) => bold ?? under ?? code)
    .trim();
}

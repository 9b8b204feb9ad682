/**
 * The hidden line the App puts first in an issue it opened for an outside signal. Only the App
 * writes it after cleaning every outside text (which removes HTML comments), so it cannot be
 * planted through Sentry or Slack; it names the source and, for Sentry, the issue it stands for.
 */
export type IntakeSource = "sentry" | "slack" | "api";

const PATTERN = /^<!-- inhouse:intake (sentry|slack|api)(?: ([A-Za-z0-9_.:-]{1,100}))? -->/;

export function intakeMarker(source: IntakeSource, key?: string): string {
  return `<!-- inhouse:intake ${source}${key ? ` ${key}` : ""} -->`;
}

export function readIntakeMarker(
  body: string | null | undefined,
): { source: IntakeSource; key?: string } | undefined {
  const match = PATTERN.exec(body ?? "");
  if (!match) return undefined;
  return { source: match[1] as IntakeSource, ...(match[2] ? { key: match[2] } : {}) };
}

/**
 * The git trailers every agent commit carries (the action writes them, `action/publish/publish-change.ts`);
 * the App reads them back to tell the agent's commits on a pull request from a person's
 * (`app/follow-ups/agent-pull.ts`). One list, so the two sides cannot drift.
 */
export const TRAILER = {
  task: "Inhouse-Task",
  delivery: "Inhouse-Delivery",
  requestedBy: "Inhouse-Requested-By",
} as const;

/** The value of one trailer in a commit message (the last paragraph's `Key: value` lines), if present. */
export function readTrailer(message: string, key: string): string | undefined {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const last = paragraphs.at(-1) ?? "";
  for (const line of last.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === key.toLowerCase()) {
      return line.slice(colon + 1).trim();
    }
  }
  return undefined;
}

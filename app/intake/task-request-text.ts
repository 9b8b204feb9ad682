import { untrustedLine, untrustedText } from "./untrusted-text.ts";

const MAX_TITLE = 80;
const MAX_BODY = 16_000;

/** Title and body of an issue asked for in words (Slack, the API): the first line titles it. */
export function requestedIssue(
  text: string,
  footer: string,
  title?: string,
): { title: string; body: string } {
  const firstLine = text.trim().split("\n")[0] ?? "";
  const heading = untrustedLine(title ?? firstLine, MAX_TITLE) || "Task for the agent";
  return { title: heading, body: `${untrustedText(text, MAX_BODY)}\n\n<sub>${footer}</sub>` };
}

/** `owner/repo: what to do` (the colon optional) → its parts, or undefined. */
export function parseRepoCommand(text: string): { owner: string; name: string; what: string } | undefined {
  const match = /^\s*([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\s*:?\s+([\s\S]*\S)\s*$/.exec(text);
  if (!match) return undefined;
  return { owner: match[1]!, name: match[2]!, what: match[3]! };
}

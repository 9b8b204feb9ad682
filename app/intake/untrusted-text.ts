import { cleanPromptText } from "../../core/prompt-text.ts";

/**
 * Text from outside GitHub (a Sentry title, a Slack command) is untrusted, like issue text: it goes
 * through the same cleaning the model's prompt gets (hidden HTML comments, invisible characters,
 * hidden elements), so a planted `<!-- ... -->` can neither steer the model nor pose as one of the
 * App's own markers. Mentions are defused so an error message cannot page a team.
 */
export function untrustedText(text: string, maxChars: number): string {
  return defuseMentions(cleanPromptText(text, { maxChars }));
}

/** One line: a title, a culprit. */
export function untrustedLine(text: string, maxChars: number): string {
  return untrustedText(text.replace(/[\r\n]+/g, " "), maxChars)
    .replace(/\s+/g, " ")
    .trim();
}

/** `@team` → `@\u200Bteam`: shown the same, mentions nobody. */
function defuseMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, "@\u200B");
}

/** Only an http(s) URL becomes a link; anything else is left out. */
export function safeLink(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A code fence longer than any run of backticks inside, so the text cannot close it. */
export function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

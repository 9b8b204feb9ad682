/** Caps what one tool result may put into the conversation: its head and its tail, with what was cut said in between. */
export const OBSERVATION_MAX_CHARS = 10_000;

export function capObservation(text: string, maxChars = OBSERVATION_MAX_CHARS): string {
  if (text.length <= maxChars) return text;
  const head = Math.floor(maxChars * 0.4);
  const tail = maxChars - head;
  const cut = text.length - head - tail;
  return `${text.slice(0, head)}\n[... ${cut} characters cut from the middle ...]\n${text.slice(-tail)}`;
}

/** The last part of long output, for verification results and PR bodies. */
export function tail(text: string, maxChars: number): string {
  return text.length <= maxChars
    ? text
    : `[... ${text.length - maxChars} characters cut ...]\n${text.slice(-maxChars)}`;
}

/** A refusal comment carries the refused login, so each user is told once per issue, not per comment. */
export function renderRefusalMarker(login: string): string {
  return `<!-- inhouse:refused ${JSON.stringify({ actor: login }).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e")} -->`;
}

export function parseRefusalMarker(body: string): string | undefined {
  // Anchored like the status marker: the App writes it first; anywhere else it is someone's text.
  const json = /^<!-- inhouse:refused (\{.*?\}) -->/s.exec(body)?.[1];
  if (json === undefined) return undefined;
  try {
    const actor = (JSON.parse(json) as { actor?: unknown }).actor;
    return typeof actor === "string" ? actor : undefined;
  } catch {
    return undefined;
  }
}

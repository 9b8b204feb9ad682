/** Finds where a snippet the model remembered wrongly most likely is, so the error can show it. */

function bigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < text.length - 1; i++) {
    const pair = text.slice(i, i + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

/** Dice coefficient over character pairs: 1 for equal strings, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const left = bigrams(a);
  let shared = 0;
  for (const [pair, count] of bigrams(b)) {
    const available = left.get(pair) ?? 0;
    shared += Math.min(available, count);
  }
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}

/** 1-based numbers of the lines most like the snippet's first non-blank line, best first. */
export function closestLines(fileLines: string[], snippet: string, count = 3): number[] {
  const probe =
    snippet
      .split("\n")
      .find((line) => line.trim() !== "")
      ?.trim() ?? "";
  if (!probe) return [];
  return fileLines
    .map((line, index) => ({ line: index + 1, score: similarity(probe, line.trim()) }))
    .filter((candidate) => candidate.score > 0.4)
    .sort((a, b) => b.score - a.score || a.line - b.line)
    .slice(0, count)
    .map((candidate) => candidate.line);
}

/** Start offsets of every exact occurrence. */
export function occurrences(text: string, snippet: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(snippet); at !== -1; at = text.indexOf(snippet, at + 1)) found.push(at);
  return found;
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

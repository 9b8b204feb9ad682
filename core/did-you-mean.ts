function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The closest known name, when it is close enough to be a likely typo. */
export function didYouMean(input: string, known: readonly string[]): string | undefined {
  const lowered = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(lowered, name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  const threshold = Math.max(2, Math.floor(input.length / 3));
  return best && best.distance <= threshold ? best.name : undefined;
}

/** Quotes one argument for a POSIX shell: everything inside single quotes is literal. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

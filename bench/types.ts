/** One line of an area's printed table: our way, the naive way, and how they compare. */
export interface BenchRow {
  measure: string;
  ours: string;
  naive?: string;
  ratio?: string;
  goal?: string;
}

export interface BenchOutcome {
  rows: BenchRow[];
  /** Flat metric name → number, merged into bench/results.json. Names come from the issues. */
  metrics: Record<string, number>;
}

/** A benchmark area lives in `bench/<name>.bench.ts` and default-exports one of these. */
export interface BenchArea {
  name: string;
  run(): Promise<BenchOutcome>;
}

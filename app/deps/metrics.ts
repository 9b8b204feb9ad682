/**
 * Prometheus text-format metrics kept in memory: a handful of counters and one histogram are all
 * the app needs, so no client library.
 */
type Labels = Record<string, string>;

const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function key(labels: Labels): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`)
    .join(",");
}

class Counter {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(key(labels)) ?? 0;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ""} ${v}`);
    return lines;
  }
}

class Histogram {
  readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: number[] = LATENCY_BUCKETS_S,
  ) {}
  observe(labels: Labels, value: number): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    this.bounds.forEach((bound, i) => {
      if (value <= bound) s.buckets[i]! += 1;
    });
    s.sum += value;
    s.count += 1;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      const prefix = k ? `${k},` : "";
      this.bounds.forEach((bound, i) => {
        lines.push(`${this.name}_bucket{${prefix}le="${bound}"} ${s.buckets[i]}`);
      });
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${k ? `{${k}}` : ""} ${s.sum}`);
      lines.push(`${this.name}_count${k ? `{${k}}` : ""} ${s.count}`);
    }
    return lines;
  }
}

export class Metrics {
  readonly deliveries = new Counter(
    "inhouse_webhook_deliveries_total",
    "Webhook deliveries handled, by event and outcome.",
  );
  readonly dispatches = new Counter(
    "inhouse_dispatches_total",
    "Workflow dispatches attempted, by task kind and result.",
  );
  readonly refusals = new Counter("inhouse_refusals_total", "Triggers refused by the gate, by reason.");
  readonly latency = new Histogram(
    "inhouse_webhook_handling_seconds",
    "Time from verified delivery to handler completion, by event.",
  );
  readonly runs = new Counter(
    "inhouse_runs_total",
    "Agent tasks that ended, by repository, model profile and state (refused, succeeded, failed, cancelled).",
  );
  readonly tokens = new Counter(
    "inhouse_run_tokens_total",
    "Model tokens of finished tasks, by repository, model profile and type (prompt, completion).",
  );
  readonly cost = new Counter(
    "inhouse_run_cost_total",
    "Money spent by finished tasks (tokens × the runner's prices), by repository and model profile.",
  );
  readonly runDuration = new Histogram(
    "inhouse_run_duration_seconds",
    "Wall time of finished tasks (sum of their phases), by repository and model profile.",
    [30, 60, 120, 300, 600, 900, 1800, 3600],
  );
  readonly pulls = new Counter(
    "inhouse_agent_pulls_closed_total",
    "Agent pull requests closed, by repository and result (merged, closed).",
  );

  private readonly gauges: { name: string; help: string; read: () => number }[] = [];

  /** A value read when scraped, such as the work waiting in the queue. */
  gauge(name: string, help: string, read: () => number): void {
    this.gauges.push({ name, help, read });
  }

  render(): string {
    const lines = [
      this.deliveries,
      this.dispatches,
      this.refusals,
      this.latency,
      this.runs,
      this.tokens,
      this.cost,
      this.runDuration,
      this.pulls,
    ].flatMap((m) => m.render());
    for (const g of this.gauges)
      lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`, `${g.name} ${g.read()}`);
    return `${lines.join("\n")}\n`;
  }
}

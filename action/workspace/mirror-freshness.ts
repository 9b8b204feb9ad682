/**
 * When a task may skip the mirror's network fetch. A fetch records the moment it started; a task
 * triggered before that moment gets a mirror at least as new as the repository it was asked
 * about, so fetching again would only add commits pushed after the request. Refs whose commit the
 * task knows from the API (a pull request's head) must also be exactly that commit, or the push
 * back to the PR's branch would be refused as not a fast-forward.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readRefs } from "./mirror-refs.ts";

const FETCHED_AT = "inhouse-fetched-at";

export interface Freshness {
  /** The task's trigger time: the mirror must have been fetched after it. */
  since: Date;
  /** Mirror refs the task needs (e.g. `refs/heads/main`, `refs/inhouse/pull/7/head`). */
  refs: string[];
  /** Of those, the ones whose commit the task knows: ref → object name. */
  expect?: Record<string, string>;
}

export async function recordFetch(mirror: string, startedAt: number): Promise<void> {
  await writeFile(join(mirror, FETCHED_AT), `${startedAt}\n`);
}

export async function isFreshEnough(mirror: string, freshness: Freshness): Promise<boolean> {
  const fetchedAt = Number((await readFile(join(mirror, FETCHED_AT), "utf8").catch(() => "")).trim());
  if (!Number.isFinite(fetchedAt) || fetchedAt <= freshness.since.getTime()) return false;
  const found = await readRefs(mirror, freshness.refs);
  return freshness.refs.every((ref) => {
    const name = found.get(ref);
    const expected = freshness.expect?.[ref];
    return name !== undefined && (expected === undefined || name === expected);
  });
}

import { type Kysely, sql } from "kysely";

/**
 * Weekly totals per repository and model profile, kept by triggers as runs are recorded, so the
 * repositories and models pages read a few hundred rows instead of aggregating every run of the
 * last twelve weeks (bench store: 100,000 runs, 400+ ms per page before). A trigger rather than
 * application code: every writer (the App, the CLI, automations, pruning, a person with psql) keeps
 * the totals right, in the same transaction as the row it changes.
 *
 * A run counts in the week (Monday, UTC) it was dispatched; refused runs never count. An update
 * takes the old row's contribution off and adds the new one's, the two upserts in key order so two
 * concurrent updates cannot deadlock on the same pair of rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table run_weeks (
      week date not null,
      repository text not null,
      profile text not null,
      runs bigint not null default 0,
      succeeded bigint not null default 0,
      pulls bigint not null default 0,
      merged bigint not null default 0,
      tokens bigint not null default 0,
      seconds double precision not null default 0,
      cost double precision not null default 0,
      primary key (week, repository, profile)
    )`.execute(db);
  await sql`
    create function run_weeks_add(r runs, sign integer) returns void language plpgsql as $$
    begin
      if r.state = 'refused' then return; end if;
      insert into run_weeks as w
        (week, repository, profile, runs, succeeded, pulls, merged, tokens, seconds, cost)
      values (
        (date_trunc('week', r.dispatched_at at time zone 'UTC'))::date,
        r.repository,
        coalesce(r.profile, ''),
        sign,
        sign * (r.state = 'succeeded')::integer,
        sign * (r.pr_number is not null)::integer,
        sign * coalesce(r.pr_state = 'merged', false)::integer,
        sign * (coalesce(r.prompt_tokens, 0) + coalesce(r.completion_tokens, 0)),
        sign * coalesce(r.duration_s, 0),
        sign * coalesce(r.cost, 0))
      on conflict (week, repository, profile) do update set
        runs = w.runs + excluded.runs,
        succeeded = w.succeeded + excluded.succeeded,
        pulls = w.pulls + excluded.pulls,
        merged = w.merged + excluded.merged,
        tokens = w.tokens + excluded.tokens,
        seconds = w.seconds + excluded.seconds,
        cost = w.cost + excluded.cost;
    end $$`.execute(db);
  await sql`
    create function run_weeks_track() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform run_weeks_add(new, 1);
      elsif tg_op = 'DELETE' then
        perform run_weeks_add(old, -1);
      elsif (date_trunc('week', old.dispatched_at at time zone 'UTC'), old.repository, coalesce(old.profile, ''))
          <= (date_trunc('week', new.dispatched_at at time zone 'UTC'), new.repository, coalesce(new.profile, '')) then
        perform run_weeks_add(old, -1);
        perform run_weeks_add(new, 1);
      else
        perform run_weeks_add(new, 1);
        perform run_weeks_add(old, -1);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger runs_weeks_insert_delete after insert or delete on runs
      for each row execute function run_weeks_track()`.execute(db);
  // Recording the workflow run or a start touches no total: no trigger work for those updates.
  await sql`
    create trigger runs_weeks_update after update on runs for each row
      when ((old.state, old.dispatched_at, old.repository, old.profile, old.pr_number, old.pr_state,
             old.prompt_tokens, old.completion_tokens, old.duration_s, old.cost)
        is distinct from (new.state, new.dispatched_at, new.repository, new.profile, new.pr_number,
             new.pr_state, new.prompt_tokens, new.completion_tokens, new.duration_s, new.cost))
      execute function run_weeks_track()`.execute(db);
  await fillRunWeeks(db);
}

/** Totals of the runs already recorded, as the triggers would have kept them (also the bench's bulk seed). */
export async function fillRunWeeks<DB>(db: Kysely<DB>): Promise<void> {
  await sql`
    insert into run_weeks (week, repository, profile, runs, succeeded, pulls, merged, tokens, seconds, cost)
    select (date_trunc('week', dispatched_at at time zone 'UTC'))::date, repository, coalesce(profile, ''),
      count(*), count(*) filter (where state = 'succeeded'), count(pr_number),
      count(*) filter (where pr_state = 'merged'),
      sum(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)),
      coalesce(sum(duration_s), 0), coalesce(sum(cost), 0)
    from runs where state <> 'refused'
    group by 1, 2, 3`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger runs_weeks_update on runs`.execute(db);
  await sql`drop trigger runs_weeks_insert_delete on runs`.execute(db);
  await sql`drop function run_weeks_track()`.execute(db);
  await sql`drop function run_weeks_add(runs, integer)`.execute(db);
  await sql`drop table run_weeks`.execute(db);
}

import type { ServerResponse } from "node:http";
import { latestEvalResults } from "../../store/eval-history.ts";
import { decodeCursor, type RunFilters, runById, runsPage } from "../../store/queries/runs-page.ts";
import { STATS_WEEKS, weeklyStats } from "../../store/queries/weekly-stats.ts";
import type { DashboardContext } from "./dashboard-context.ts";
import { layout, type Section, type Viewer } from "./layout.ts";
import { evalResultsSection } from "./pages/eval-results.ts";
import { runPageBody } from "./pages/run.ts";
import { runsPageBody } from "./pages/runs.ts";
import { weeklyPageBody } from "./pages/weekly.ts";
import { type Html, html } from "./render/html.ts";
import { redirect, sendPage } from "./respond.ts";
import type { Session } from "./sessions.ts";

/** One signed-in request: who reads, and how its page is sent. */
interface Reader {
  context: DashboardContext;
  session: Session;
  viewer: Viewer;
  response: ServerResponse;
}

/** The pages behind sign-in: runs, one run, repositories, models; each shows only readable repositories. */
export async function signedInPage(
  context: DashboardContext,
  session: Session,
  response: ServerResponse,
  path: string,
  url: URL,
): Promise<void> {
  const reader: Reader = {
    context,
    session,
    viewer: { login: session.login, csrf: context.keys.csrfToken(session.id) },
    response,
  };
  if (path === "/dashboard") return redirect(response, "/dashboard/runs");
  if (path === "/dashboard/runs") return sendReaderPage(reader, "Runs", "runs", await runsBody(reader, url));
  const runId = /^\/dashboard\/runs\/(\d{1,15})$/.exec(path)?.[1];
  if (runId) return runPage(reader, Number(runId));
  if (path === "/dashboard/repositories") return weeklyPage(reader, "repository");
  if (path === "/dashboard/models") return weeklyPage(reader, "profile");
  return sendPage(response, 404, layout("Not found", html`<h1>Not found</h1>`, reader.viewer));
}

function sendReaderPage(reader: Reader, title: string, section: Section | undefined, body: Html): void {
  sendPage(reader.response, 200, layout(title, body, reader.viewer, section));
}

async function runsBody({ context, session }: Reader, url: URL): Promise<Html> {
  const text = (name: string) => url.searchParams.get(name)?.trim().slice(0, 200) || undefined;
  const day = (name: string) => (/^\d{4}-\d{2}-\d{2}$/.test(text(name) ?? "") ? text(name) : undefined);
  const filters: RunFilters = {
    repository: text("repository"),
    kind: text("kind"),
    state: text("state"),
    actor: text("actor"),
    from: day("from"),
    to: day("to"),
  };
  const cursor = decodeCursor(text("after"));
  const result = await runsPage(context.options.db, session.repositories, filters, cursor);
  return runsPageBody({
    ...result,
    filters,
    repositories: session.repositories,
    paged: cursor !== undefined,
    currency: context.currency,
  });
}

async function runPage(reader: Reader, id: number): Promise<void> {
  const { context, session } = reader;
  const run = await runById(context.options.db, session.repositories, id);
  // A run in a repository the reader cannot see is "not found", never "forbidden".
  if (!run)
    return sendPage(
      reader.response,
      404,
      layout(
        "Not found",
        html`<h1>No such run</h1><p><a href="/dashboard/runs">All runs</a></p>`,
        reader.viewer,
      ),
    );
  sendReaderPage(
    reader,
    `Run ${run.id}`,
    "runs",
    runPageBody(run, context.options.github.web, context.currency),
  );
}

async function weeklyPage(reader: Reader, by: "repository" | "profile"): Promise<void> {
  const { context, session } = reader;
  const { db, now } = context.options;
  const byRepository = by === "repository";
  const groups = await weeklyStats(db, session.repositories, by, now?.());
  const title = byRepository ? "Repositories" : "Models";
  const weekly = weeklyPageBody({
    title,
    groupLabel: byRepository ? "Repository" : "Model profile",
    groups,
    currency: context.currency,
    weeks: STATS_WEEKS,
  });
  if (byRepository) return sendReaderPage(reader, title, "repositories", weekly);
  const evals = await latestEvalResults(db, session.repositories);
  sendReaderPage(reader, title, "models", html`${weekly}${evalResultsSection(evals, context.currency)}`);
}

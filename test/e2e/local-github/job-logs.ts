import type { ServerResponse } from "node:http";
import { findRepo, type RouteContext } from "./context.ts";
import { notFound } from "./errors.ts";
import type { Router } from "./router.ts";

/** Where a job's log is downloaded from once the API has redirected there. */
export const JOB_LOG_DOWNLOAD_PATH = /^\/_job-logs\/(\d+)$/;

/**
 * REST "Download job logs for a workflow run" (Actions: read): "Gets a redirect URL to download a
 * plain text file of logs for a workflow job ... Look for `Location:` in the response header to find
 * the URL for the download" (302; https://docs.github.com/en/rest/actions/workflow-jobs#download-job-logs-for-a-workflow-run).
 * GitHub's URL is a signed one on another host that expires after a minute; here it is a path of
 * the local GitHub that needs no token either. A job without a log here is 404, as an unknown job is.
 */
export function registerJobLogRoutes(router: Router, ctx: RouteContext): void {
  router.on("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs", ({ params }) => {
    const repo = findRepo(ctx, params);
    const id = Number(params.job_id);
    if (ctx.state.jobLogs.get(id)?.repo !== repo) throw notFound();
    return { status: 302, body: undefined, headers: { location: `${ctx.urls.api}/_job-logs/${id}` } };
  });
}

/** The download the redirect points at: the log as plain text. */
export function answerJobLogDownload(ctx: RouteContext, response: ServerResponse, pathname: string): void {
  const id = Number(JOB_LOG_DOWNLOAD_PATH.exec(pathname)?.[1]);
  const log = ctx.state.jobLogs.get(id);
  if (!log) return void response.writeHead(404).end();
  response.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(log.text);
}

import type { RepoConfig } from "../../core/config.ts";
import { githubMessage, httpStatus } from "../../core/github/http-status.ts";
import { renderStatusComment } from "../../core/status-marker.ts";
import type { Deps, Outcome, RepoRef } from "../deps/types.ts";
import { activeTask, readAgentComments } from "../github/agent-comments.ts";
import { editStatus, reply } from "../github/github-writes.ts";
import { cancelledText } from "../texts/status-text.ts";
import { withIssueLock } from "./issue-lock.ts";

/** `/agent stop`: cancel the workflow run of the task running here and end its status comment. */
export async function stopTask(
  deps: Deps,
  repo: RepoRef,
  number: number,
  actor: string,
  config: RepoConfig,
): Promise<Outcome> {
  const { octokit } = deps;
  return withIssueLock<Outcome>(`${repo.owner}/${repo.name}#${number}`, async () => {
    const comments = await readAgentComments(octokit, repo, number, deps.appId);
    const active = activeTask(comments);
    if (!active) {
      await reply(
        octokit,
        repo,
        number,
        `Nothing is running here; \`${config.trigger.command} help\` lists the commands.`,
      );
      return "answered";
    }
    const { run } = active.marker;
    // Only a run in the repository this thread dispatches to (issue #13, item 2): a marker naming
    // any other repository's run did not come from a dispatch of ours.
    const dispatchRepo = config.dispatch.repo ?? `${repo.owner}/${repo.name}`;
    if (run && run.repo.toLowerCase() !== dispatchRepo.toLowerCase()) {
      await reply(
        octokit,
        repo,
        number,
        `Did not cancel workflow run #${run.id}: it is in \`${run.repo}\`, and this repository dispatches to \`${dispatchRepo}\`. Cancel it from its Actions tab if it is yours.`,
      );
      return "answered";
    }
    if (run) {
      const [owner, name] = run.repo.split("/");
      try {
        await octokit.rest.actions.cancelWorkflowRun({ owner: owner!, repo: name!, run_id: run.id });
      } catch (error) {
        // 409: the run already finished; the status still has to end.
        if (httpStatus(error) !== 409) {
          await reply(
            octokit,
            repo,
            number,
            `Could not cancel workflow run #${run.id} in \`${run.repo}\` (${httpStatus(error) ?? "error"}: ${githubMessage(error)}). The App needs \`actions: write\` there; cancel the run from the Actions tab meanwhile.`,
          );
          return "answered";
        }
      }
    }
    const kind = active.marker.task.kind;
    const written = await editStatus(
      octokit,
      repo,
      active.id,
      renderStatusComment({ ...active.marker, state: "cancelled" }, cancelledText(kind, actor, run)),
    );
    if (!written.written) {
      // The task ended between our read and this write: its own result stays (core/status-state.ts).
      await reply(
        octokit,
        repo,
        number,
        `Nothing to stop: [this task](${active.url}) has just ended (${written.current?.marker.state ?? "ended"}).`,
      );
      return "answered";
    }
    await deps.recorder?.ended(repo, active.id, "cancelled", { reason: `cancelled by @${actor}` });
    await reply(
      octokit,
      repo,
      number,
      run
        ? `⏹️ Stopped: cancelled workflow run #${run.id} of [this task](${active.url}).`
        : `⏹️ Stopped [this task](${active.url}); no workflow run had been recorded for it yet.`,
    );
    return "cancelled";
  });
}

import type { GitHubRun } from "./github-run.ts";
import { type Request, readRequest } from "./read-request.ts";

/**
 * Provisioning: everything decided before a byte of code is fetched (`readRequest`: the config, the
 * trigger checked again, the thread frozen), and the model profile's key added to the redactor.
 */
export async function readTask(run: GitHubRun): Promise<Request> {
  const { settings, status, task } = run;
  run.clock.start("provisioning");
  // Only this first write is awaited (it may create the comment, whose id is saved); later phases
  // go out in the background and a phase superseded before its turn is never sent (`StatusComment`).
  await status.phase(
    `provisioning on ${settings.env.runnerName}: checking permission and reading the thread`,
  );
  run.save();
  const request = await readRequest(run.gh, task, settings, run.deps, run.authentic.runner);
  const { config, limits, model } = request;
  run.secrets.setModelKey(model.apiKey);
  run.spend = { profile: config.model.profile, ...(model.price ? { price: model.price } : {}) };
  if (limits.agent.maxCost !== undefined && !model.price) {
    throw new Error(
      `the runner caps a task's cost (max-task-cost) but model profile '${config.model.profile}' has no price; add price: { prompt, completion } (per million tokens) to it in the profiles file`,
    );
  }
  return request;
}

import { CONFIG_PATH } from "../../core/config.ts";
import { githubMessage, httpStatus } from "../../core/github/http-status.ts";

export interface DispatchTarget {
  owner: string;
  name: string;
  workflow: string;
  ref: string;
}

export type DispatchProblem = "workflow-missing" | "forbidden" | "invalid-inputs" | "other";

/** Turns a failed dispatch into what a maintainer has to do about it. */
export function dispatchAdvice(
  error: unknown,
  target: DispatchTarget,
): { problem: DispatchProblem; advice: string } {
  const status = httpStatus(error);
  const message = githubMessage(error);
  const where = `\`${target.owner}/${target.name}\``;
  const file = `\`.github/workflows/${target.workflow}\``;
  if (status === 404) {
    return {
      problem: "workflow-missing",
      advice:
        `The workflow ${file} was not found in ${where} (ref \`${target.ref}\`). ` +
        `Add it from the inhouse workflow template, or point \`dispatch.workflow\` / \`dispatch.repo\` in \`${CONFIG_PATH}\` at the right one. ` +
        "If the workflow lives in another repository, install the App on that repository too.",
    };
  }
  if (status === 403) {
    const integration = /not accessible by integration/i.test(message);
    return {
      problem: "forbidden",
      advice: integration
        ? `The App may not start workflows in ${where}: it needs the \`actions: write\` permission. ` +
          "An organisation owner can accept the updated permissions under Settings → GitHub Apps → inhouse → Configure."
        : `GitHub refused the dispatch in ${where} (403: ${message}). Check the App's \`actions: write\` permission and that Actions are enabled for the repository.`,
    };
  }
  if (status === 422) {
    return {
      problem: "invalid-inputs",
      advice:
        `GitHub rejected the dispatch of ${file} in ${where} (422: ${message}). ` +
        "The workflow must have an `on: workflow_dispatch` trigger with exactly one input, `task` (type string), " +
        `and the ref \`${target.ref}\` must exist; compare it with the inhouse workflow template.`,
    };
  }
  return {
    problem: "other",
    advice: `Dispatching ${file} in ${where} failed (${status ?? "no response"}: ${message}). Retry in a moment; if it keeps failing, check GitHub's status page and the App's logs.`,
  };
}

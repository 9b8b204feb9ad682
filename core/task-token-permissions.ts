import type { TaskKind } from "./task.ts";

export type TokenAccess = "read" | "write";
/** GitHub App permission names (`contents`, `pull_requests`, …) as installation tokens carry them. */
export type TokenPermissions = Record<string, TokenAccess>;

/**
 * The least an installation token needs to run one task of a kind, and so the most the runner's
 * token is minted with (one rule for whoever mints it: the workflow template today, the App's token
 * exchange tomorrow). Every kind reads the repository (metadata, `.github/agent.yml`, the clone) and
 * writes the status comment (`issues`, or `pull_requests` on a PR); only kinds that push need
 * Contents: write. A review posts a review and nothing else, so it cannot push at all.
 * Workflows: write only when the repository lets the agent change `.github/workflows/`: GitHub
 * refuses such a push from an App without it.
 */
export function taskTokenPermissions(
  kind: TaskKind,
  options: { workflowEdits?: boolean } = {},
): TokenPermissions {
  const pushes = kind !== "review";
  return {
    metadata: "read",
    contents: pushes ? "write" : "read",
    issues: "write",
    pull_requests: "write",
    ...(pushes && options.workflowEdits ? { workflows: "write" as const } : {}),
  };
}

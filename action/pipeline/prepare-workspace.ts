import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { type PreparedWorkspace, type PrepareOptions, prepareWorkspace } from "../workspace/prepare.ts";
import type { TaskRun } from "./task-run.ts";

/** Where the clone comes from: the workspace's options, with the work root still to be made. */
export type WorkspaceSource = Omit<PrepareOptions, "dir"> & {
  /** Where the task's work root is made: the runner's temp dir (shared with the Docker daemon on ARC), or the OS's. */
  tempDir: string;
};

/** The task's clone, made by the action's workspace code (mirror, local clone, seedable checks). */
export async function prepareTaskWorkspace(
  run: TaskRun,
  source: WorkspaceSource,
): Promise<PreparedWorkspace> {
  run.enter("preparing the workspace");
  const { tempDir, ...options } = source;
  run.workRoot = await mkdtemp(join(tempDir, "inhouse-work-"));
  return prepareWorkspace({ ...options, dir: join(run.workRoot, source.name) });
}

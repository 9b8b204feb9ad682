/**
 * A Sandbox held in memory, for measuring the loop's own overhead: files live in a Map and each
 * command answers from a function at once, so timings exclude both the model and real execution.
 */
import type { ExecResult, Sandbox } from "../action/sandbox/types.ts";

export function createMemorySandbox(
  files: Record<string, string>,
  answer: (command: string) => { exitCode?: number; stdout?: string; stderr?: string },
): Sandbox {
  const tree = new Map(Object.entries(files));
  return {
    containerId: "memory",
    workdir: "/workspace",
    async exec(command): Promise<ExecResult> {
      const { exitCode = 0, stdout = "", stderr = "" } = answer(command);
      return { exitCode, stdout, stderr, truncated: false, timedOut: false, durationMs: 0 };
    },
    async readFile(path) {
      const content = tree.get(path);
      if (content === undefined) {
        throw Object.assign(new Error(`${path}: no such file`), { recoverable: true });
      }
      return Buffer.from(content);
    },
    async writeFile(path, content) {
      tree.set(path, Buffer.from(content).toString("utf8"));
    },
    async seed() {},
    async diff() {
      return "";
    },
    async destroy() {},
  };
}

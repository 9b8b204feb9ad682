import { createGitHubClient, type RetryTuning } from "../../../action/github/client.ts";
import type { Task } from "../../../core/task.ts";

export const API = "https://api.github.com";
export const TRIGGER_AT = "2026-11-20T10:00:00Z";
export const BEFORE = "2026-11-20T09:00:00Z";
export const AFTER = "2026-11-20T10:05:00Z";

export function makeTask(overrides: Partial<Task> = {}): Task {
  return {
    v: 1,
    kind: "fix-issue",
    repo: { owner: "acme", name: "widgets" },
    number: 12,
    trigger: { event: "issues.labeled", delivery: "dlv-1", actor: "alice", at: TRIGGER_AT },
    statusCommentId: 900,
    ...overrides,
  };
}

/** No waiting in tests: retries happen at once and writes are not spaced. */
export const noWaitRetry: Partial<RetryTuning> = {
  retryAfterBaseMs: 0,
  paceWrites: false,
  writeOnce: { attempts: 3, baseDelayMs: 0, sleep: async () => {} },
};

export function testClient() {
  return createGitHubClient({ token: "ghs_test", retry: noWaitRetry });
}

export function comment(id: number, login: string, body: string, created = BEFORE, updated = created) {
  return { id, user: { login, type: "User" }, body, created_at: created, updated_at: updated };
}

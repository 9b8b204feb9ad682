import { describe, expect, it } from "vitest";
import {
  MAX_INSTRUCTIONS_CHARS,
  parseTask,
  SUPPORTED_TASK_VERSIONS,
  serializeTask,
  type Task,
} from "../../core/task.ts";

const fixIssue: Task = {
  v: 1,
  kind: "fix-issue",
  repo: { owner: "acme", name: "widgets" },
  number: 42,
  trigger: {
    event: "issues.labeled",
    delivery: "0b9c7a80-1f3e-11ef-9a1c-2b1f4c0e5d6a",
    actor: "octocat",
    at: "2026-11-29T02:00:00Z",
  },
};

const automation: Task = {
  v: 1,
  kind: "automation",
  repo: { owner: "acme", name: "widgets" },
  automation: "weekly-deps",
  trigger: {
    event: "schedule",
    delivery: "run-17",
    actor: "github-actions",
    at: "2026-11-29T02:00:00+01:00",
  },
};

function errorsOf(value: unknown) {
  const parsed = parseTask(typeof value === "string" ? value : JSON.stringify(value));
  if (parsed.ok) throw new Error(`expected errors, got ${JSON.stringify(parsed.value)}`);
  return parsed.errors;
}

describe("parseTask", () => {
  it("reads a fix-issue task and an automation task", () => {
    expect(parseTask(JSON.stringify(fixIssue))).toEqual({ ok: true, value: fixIssue });
    expect(parseTask(JSON.stringify(automation))).toEqual({ ok: true, value: automation });
  });

  it("reports invalid JSON", () => {
    const [error, ...rest] = errorsOf("{ kind: fix-issue");
    expect(rest).toEqual([]);
    expect(error?.path).toBe("");
    expect(error?.message).toMatch(/^task is not valid JSON: /);
  });

  it.each(["[]", "null", '"task"', "1"])("refuses %s as not an object", (text) => {
    expect(errorsOf(text)).toEqual([{ path: "", message: "task must be a JSON object" }]);
  });

  it("lists the supported versions for an unknown version", () => {
    expect(SUPPORTED_TASK_VERSIONS).toEqual([1, 2]);
    expect(errorsOf({ ...fixIssue, v: 3 })).toEqual([
      {
        path: "v",
        message:
          "unsupported task version 3; this build supports v 1, 2. Update the app and the action to the same release.",
      },
    ]);
  });

  it("says when the version is missing", () => {
    const { v: _, ...withoutVersion } = fixIssue;
    expect(errorsOf(withoutVersion)[0]?.message).toBe(
      "unsupported task version (missing); this build supports v 1, 2. Update the app and the action to the same release.",
    );
  });

  it("refuses an unknown kind", () => {
    expect(errorsOf({ ...fixIssue, kind: "deploy" })).toEqual([
      { path: "kind", message: 'Invalid option: expected one of "fix-issue"|"fix-pr"|"review"|"automation"' },
    ]);
  });

  it.each(["fix-issue", "fix-pr", "review"] as const)("needs a number for %s", (kind) => {
    const { number: _, ...withoutNumber } = fixIssue;
    expect(errorsOf({ ...withoutNumber, kind })).toEqual([
      { path: "number", message: `a ${kind} task needs the issue or PR number` },
    ]);
  });

  it("needs the automation name for an automation", () => {
    const { automation: _, ...withoutName } = automation;
    expect(errorsOf(withoutName)).toEqual([
      { path: "automation", message: "an automation task needs the automation name" },
    ]);
  });

  it("refuses a malformed automation name", () => {
    expect(errorsOf({ ...automation, automation: "Weekly Deps" })).toEqual([
      { path: "automation", message: "expected an automation name (lowercase letters, digits, '-')" },
    ]);
  });

  it.each(["yesterday", "2026-11-29", "2026-11-29 02:00:00"])("refuses trigger.at %s", (at) => {
    expect(errorsOf({ ...fixIssue, trigger: { ...fixIssue.trigger, at } })).toEqual([
      {
        path: "trigger.at",
        message: "expected an ISO 8601 time such as 2026-01-31T12:00:00Z (the trigger event's created_at)",
      },
    ]);
  });

  it("refuses over-long instructions", () => {
    expect(errorsOf({ ...fixIssue, instructions: "x".repeat(MAX_INSTRUCTIONS_CHARS + 1) })).toEqual([
      {
        path: "instructions",
        message: `instructions are limited to ${MAX_INSTRUCTIONS_CHARS} characters; shorten them or put the detail in the issue body`,
      },
    ]);
  });

  it("refuses unknown keys and a repository name with a slash", () => {
    expect(errorsOf({ ...fixIssue, token: "x", repo: { owner: "acme", name: "a/b" } })).toEqual([
      {
        path: "repo.name",
        message: "expected a GitHub owner or repository name (letters, digits, '-', '_', '.')",
      },
      { path: "", message: 'Unrecognized key: "token"' },
    ]);
  });

  it("refuses a non-positive number", () => {
    expect(errorsOf({ ...fixIssue, number: 0 })[0]?.path).toBe("number");
  });
});

describe("serializeTask", () => {
  it("round-trips through parseTask", () => {
    const withEverything: Task = { ...fixIssue, instructions: "use the v2 API", statusCommentId: 7 };
    expect(parseTask(serializeTask(withEverything))).toEqual({ ok: true, value: withEverything });
  });

  it("stays well under GitHub's 65,535-character input limit with maximum instructions", () => {
    // JSON escapes make a character cost up to 6; quotes and backslashes cost 2.
    const instructions = '"\\'.repeat(MAX_INSTRUCTIONS_CHARS / 2);
    const text = serializeTask({ ...fixIssue, instructions });
    expect(text.length).toBeLessThan(40_000);
    expect(parseTask(text)).toEqual({ ok: true, value: { ...fixIssue, instructions } });
  });

  it("throws on an invalid task, so a bad task fails in the app", () => {
    expect(() => serializeTask({ ...fixIssue, number: undefined })).toThrow(
      "a fix-issue task needs the issue or PR number",
    );
  });
});

describe("task v2: the review comment a command was given in", () => {
  const base = {
    kind: "fix-pr",
    repo: { owner: "acme", name: "widget" },
    number: 3,
    trigger: {
      event: "pull_request_review_comment",
      delivery: "d",
      actor: "alice",
      at: "2026-01-02T03:04:05Z",
    },
  };
  it("reads a v2 task with reviewComment, and a v1 task as before", () => {
    const v2 = parseTask(JSON.stringify({ ...base, v: 2, reviewComment: { id: 7, path: "src/a.js" } }));
    expect(v2.ok && v2.value.reviewComment).toEqual({ id: 7, path: "src/a.js" });
    expect(parseTask(JSON.stringify({ ...base, v: 1 })).ok).toBe(true);
  });
  it("keeps reviewComment and v2 together, so a previous action refuses by version, never by an unknown key", () => {
    const v1 = parseTask(JSON.stringify({ ...base, v: 1, reviewComment: { id: 7, path: "a" } }));
    expect(!v1.ok && v1.errors).toEqual([
      { path: "v", message: "a task with reviewComment is version 2, and only such a task is" },
    ]);
    expect(parseTask(JSON.stringify({ ...base, v: 2 })).ok).toBe(false);
    const review = parseTask(
      JSON.stringify({ ...base, kind: "review", v: 2, reviewComment: { id: 7, path: "a" } }),
    );
    expect(!review.ok && review.errors.map((e) => e.path)).toEqual(["reviewComment"]);
  });
});

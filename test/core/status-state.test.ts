import { describe, expect, it } from "vitest";
import { renderStatusComment, type StatusMarker, type StatusState } from "../../core/status-marker.ts";
import {
  canMoveStatus,
  judgeStatusWrite,
  type StatusCommentAccess,
  writeStatusIfAllowed,
} from "../../core/status-state.ts";

const TO: StatusState[] = ["queued", "running", "succeeded", "failed", "cancelled", "refused"];

/**
 * Every move, written out by hand (1 allowed, 0 refused), so the table in core/status-state.ts is
 * checked against this one and not against itself. Rows: the state found; columns: TO.
 */
const EXPECTED: [StatusState | undefined, string][] = [
  [undefined, "1 1 1 1 1 1"],
  ["queued", "1 1 1 1 1 1"],
  ["running", "0 1 1 1 1 1"],
  ["succeeded", "0 0 0 0 0 0"],
  ["failed", "0 0 0 0 0 0"],
  ["cancelled", "0 0 0 0 0 0"],
  ["refused", "0 0 0 0 0 0"],
];

const cases = EXPECTED.flatMap(([from, row]) =>
  row.split(" ").map((bit, i) => ({ from, to: TO[i]!, allowed: bit === "1" })),
);

describe("status transitions", () => {
  it.each(cases)("$from → $to: allowed $allowed", ({ from, to, allowed }) => {
    expect(canMoveStatus(from, to)).toBe(allowed);
    const verdict = judgeStatusWrite(from, to);
    expect(verdict.write).toBe(allowed);
  });

  it("covers every pair of states", () => {
    expect(cases).toHaveLength(7 * 6);
  });
});

describe("a refused terminal write keeps its message", () => {
  // keepApart: the refused text is an outcome the comment does not carry, so it is posted apart.
  it.each([
    { found: "cancelled", next: "succeeded", keepApart: true },
    { found: "cancelled", next: "failed", keepApart: true },
    { found: "succeeded", next: "failed", keepApart: true },
    { found: "refused", next: "cancelled", keepApart: true },
    // The same outcome is already written: nothing is lost.
    { found: "cancelled", next: "cancelled", keepApart: false },
    { found: "failed", next: "failed", keepApart: false },
    // A phase or a late "queued" is not an outcome.
    { found: "succeeded", next: "running", keepApart: false },
    { found: "running", next: "queued", keepApart: false },
  ] as const)("$next over $found: kept apart $keepApart", ({ found, next, keepApart }) => {
    expect(judgeStatusWrite(found, next)).toEqual({
      write: false,
      reason: expect.stringContaining(found),
      keepApart,
    });
  });

  it("a writer's own precondition refuses what the table allows (the App's start edits only its queued)", () => {
    expect(judgeStatusWrite("queued", "failed", ["queued"])).toEqual({ write: true });
    expect(judgeStatusWrite("running", "failed", ["queued"])).toMatchObject({
      write: false,
      reason: "the status is running, no longer queued",
      keepApart: false,
    });
    expect(judgeStatusWrite("cancelled", "failed", ["queued"])).toMatchObject({
      write: false,
      keepApart: true,
    });
  });
});

function marker(state: StatusState): StatusMarker {
  return { v: 1, task: { kind: "fix-issue", number: 7 }, delivery: "d-1", actor: "alice", state };
}

/** One comment in memory, read and written as GitHub would; `failRead` makes the GET fail. */
function comment(body: string, options: { failRead?: boolean } = {}) {
  const access: StatusCommentAccess & { body: string; writes: number } = {
    body,
    writes: 0,
    async read() {
      if (options.failRead) throw new Error("502 Bad Gateway");
      return access.body;
    },
    async write(next) {
      access.body = next;
      access.writes += 1;
    },
  };
  return access;
}

describe("compare-before-write", () => {
  it("writes an allowed move and leaves a refused one unwritten", async () => {
    const running = comment(renderStatusComment(marker("running"), "🔧 working: turn 3"));
    const done = renderStatusComment(marker("succeeded"), "✅ done: opened #8");
    expect(await writeStatusIfAllowed(running, done)).toEqual({ written: true });
    expect(running.body).toBe(done);

    // The post step's "failed" arrives after the result: the result stays, the text is handed back.
    const late = renderStatusComment(marker("failed"), "❌ failed: the job ended before the task finished");
    const result = await writeStatusIfAllowed(running, late);
    expect(result).toMatchObject({
      written: false,
      keepApart: true,
      text: "❌ failed: the job ended before the task finished",
      current: { marker: { state: "succeeded" }, body: done },
    });
    expect(running.body).toBe(done);
    expect(running.writes).toBe(1);
  });

  it("never turns a running task back to queued (the App's late run link)", async () => {
    const body = renderStatusComment(marker("running"), "🔧 provisioning");
    const access = comment(body);
    const result = await writeStatusIfAllowed(access, renderStatusComment(marker("queued"), "⏳ queued"), [
      "queued",
    ]);
    expect(result).toMatchObject({ written: false, keepApart: false });
    expect(access.body).toBe(body);
  });

  it("writes over a comment without a marker, and when the comment cannot be read", async () => {
    const edited = comment("someone replaced the text");
    const failed = renderStatusComment(marker("failed"), "❌ failed");
    expect(await writeStatusIfAllowed(edited, failed)).toEqual({ written: true });
    const unreadable = comment(renderStatusComment(marker("succeeded"), "✅ done"), { failRead: true });
    expect(await writeStatusIfAllowed(unreadable, failed)).toEqual({ written: true });
    expect(unreadable.body).toBe(failed);
  });

  it("refuses a body without a status marker, naming what is missing", async () => {
    await expect(writeStatusIfAllowed(comment(""), "just text")).rejects.toThrow(
      /must start with its status marker/,
    );
  });

  it("a marker typed inside the text does not count as the state", async () => {
    // Only the marker at the start of the body is state (core/status-marker.ts): a model-written
    // "succeeded" marker further down does not make a running task look ended.
    const forged = `${renderStatusComment(marker("running"), "🔧 working")}\n${renderStatusComment(marker("succeeded"), "x")}`;
    const access = comment(forged);
    const next = renderStatusComment(marker("running"), "🔧 verifying");
    expect(await writeStatusIfAllowed(access, next)).toEqual({ written: true });
  });
});

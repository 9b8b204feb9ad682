import { describe, expect, it } from "vitest";
import type { Permission } from "../../core/permissions.ts";
import { type CommentToVet, selectTrustedComments } from "../../core/trusted-comments.ts";

const permissions: Record<string, Permission> = { maintainer: "maintain", writer: "write", reader: "read" };
const rules = {
  frozenAt: "2026-11-29T02:00:00Z",
  minimum: "write" as Permission,
  permissionOf: (author: string) => permissions[author] ?? "none",
};

function comment(id: number, author: string, createdAt: string, updatedAt?: string | null): CommentToVet {
  return { id, author, createdAt, ...(updatedAt === undefined ? {} : { updatedAt }) };
}

describe("selectTrustedComments", () => {
  it("keeps comments by authors at or above the minimum, in order", () => {
    const comments = [
      comment(1, "writer", "2026-11-29T01:00:00Z"),
      comment(2, "maintainer", "2026-11-29T01:30:00Z", "2026-11-29T01:40:00Z"),
    ];
    expect(selectTrustedComments(comments, rules)).toEqual({ trusted: comments, dropped: [] });
  });

  it("drops comments by authors below the minimum and by unknown authors", () => {
    const vetted = selectTrustedComments(
      [comment(1, "reader", "2026-11-29T01:00:00Z"), comment(2, "stranger", "2026-11-29T01:00:00Z")],
      rules,
    );
    expect(vetted).toEqual({
      trusted: [],
      dropped: [
        { id: 1, why: "author has read permission; write is required" },
        { id: 2, why: "author has none permission; write is required" },
      ],
    });
  });

  it("keeps the trigger comment itself, created at the trigger time", () => {
    const trigger = comment(3, "writer", "2026-11-29T02:00:00Z", "2026-11-29T02:00:00Z");
    expect(selectTrustedComments([trigger], rules).trusted).toEqual([trigger]);
  });

  it("drops comments created or edited after the trigger, even by maintainers", () => {
    const vetted = selectTrustedComments(
      [
        comment(4, "maintainer", "2026-11-29T02:00:01Z"),
        comment(5, "maintainer", "2026-11-29T01:00:00Z", "2026-11-29T02:05:00Z"),
      ],
      rules,
    );
    expect(vetted.trusted).toEqual([]);
    expect(vetted.dropped).toEqual([
      { id: 4, why: "created after the trigger" },
      { id: 5, why: "edited after the trigger" },
    ]);
  });

  it("compares instants, not strings, across time zone offsets", () => {
    // 02:30+01:00 is 01:30Z: before the trigger, although the string sorts after it.
    const early = comment(6, "writer", "2026-11-29T02:30:00+01:00");
    expect(selectTrustedComments([early], rules).trusted).toEqual([early]);
  });

  it("treats a time that does not parse as later than the trigger", () => {
    expect(selectTrustedComments([comment(7, "writer", "not a time")], rules).dropped).toEqual([
      { id: 7, why: "created after the trigger" },
    ]);
  });

  it("accepts a null updatedAt, as the REST API may send", () => {
    const unedited = comment(8, "writer", "2026-11-29T01:00:00Z", null);
    expect(selectTrustedComments([unedited], rules).trusted).toEqual([unedited]);
  });

  it("refuses a frozenAt that does not parse", () => {
    expect(() => selectTrustedComments([], { ...rules, frozenAt: "soon" })).toThrow(
      "frozenAt must be an ISO 8601 time; got soon",
    );
  });
});

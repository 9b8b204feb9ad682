import { describe, expect, it } from "vitest";
import { statusLineText } from "../../../app/dashboard/render/format.ts";

describe("statusLineText", () => {
  it("shows a status line's words without its leading emoji or Markdown marks", () => {
    expect(
      statusLineText(
        "✅ **inhouse** · fix-issue · done: opened https://x/pull/2 · verification passed: `node --test test/` · 4 turns",
      ),
    ).toBe(
      "inhouse · fix-issue · done: opened https://x/pull/2 · verification passed: node --test test/ · 4 turns",
    );
    expect(statusLineText("⚠️ **inhouse** · stopped")).toBe("inhouse · stopped");
    expect(statusLineText("the workflow run ended (failure) before the agent reported")).toBe(
      "the workflow run ended (failure) before the agent reported",
    );
    expect(statusLineText("2 * 3 = 6 and a_b")).toBe("2 * 3 = 6 and a_b");
  });
});

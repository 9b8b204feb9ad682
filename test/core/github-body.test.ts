import { describe, expect, it } from "vitest";
import { fitGitHubBody, GITHUB_BODY_MAX_CHARS } from "../../core/github-body.ts";

const chars = (text: string) => [...text].length;

describe("fitting a body to GitHub's 65,536 characters", () => {
  it("leaves a text at the limit alone", () => {
    const text = "a".repeat(GITHUB_BODY_MAX_CHARS);
    expect(fitGitHubBody(text, "cut")).toEqual({ body: text });
  });

  it("keeps the start, ends with the notice and stays within the limit", () => {
    const text = `Closes #3\n\n${"b".repeat(80_000)}`;
    const fitted = fitGitHubBody(text, "> the rest is in the job summary");
    expect(fitted.cutFrom).toBe(chars(text));
    expect(chars(fitted.body)).toBeLessThanOrEqual(GITHUB_BODY_MAX_CHARS);
    expect(fitted.body.startsWith("Closes #3\n\nbbb")).toBe(true);
    expect(fitted.body.endsWith("> the rest is in the job summary")).toBe(true);
  });

  it("counts characters, not UTF-16 units, and never splits an emoji", () => {
    const emoji = "🙂".repeat(GITHUB_BODY_MAX_CHARS);
    expect(fitGitHubBody(emoji, "cut").cutFrom).toBeUndefined();
    const fitted = fitGitHubBody(`${emoji}🙂`, "cut");
    expect(chars(fitted.body)).toBeLessThanOrEqual(GITHUB_BODY_MAX_CHARS);
    expect(fitted.body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("closes a code fence the cut left open, so the notice is not swallowed by it", () => {
    const fitted = fitGitHubBody(`intro\n\`\`\`\n${"line\n".repeat(20_000)}\`\`\`\n`, "NOTICE");
    const fences = fitted.body.match(/^`{3,}/gm) ?? [];
    expect(fences.length % 2).toBe(0);
    expect(fitted.body.endsWith("NOTICE")).toBe(true);
  });
});

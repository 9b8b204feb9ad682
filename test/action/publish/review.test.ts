import nock from "nock";
import { describe, expect, it } from "vitest";
import { commentableLines } from "../../../action/publish/diff-lines.ts";
import { openPullRequest } from "../../../action/publish/pull-request.ts";
import { planReview, postReview } from "../../../action/publish/review.ts";
import { API, testClient } from "../github/fixtures.ts";

// New side: line 10 context, 11 added, 12 added, 13 context; then a second hunk at 40-41.
const PATCH =
  "@@ -10,3 +10,4 @@ function a() {\n const x = 1;\n-const y = 2;\n+const y = 3;\n+const z = 4;\n return x;\n@@ -39,2 +40,2 @@\n-old\n+new\n tail";

describe("review comments", () => {
  it("knows which new-side lines a diff lets a review comment on", () => {
    expect([...commentableLines(PATCH)].sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 40, 41]);
    expect(commentableLines(undefined).size).toBe(0);
  });

  it("places comments inline on the right lines and moves the rest into the body", () => {
    const plan = planReview(
      [
        { path: "src/a.ts", line: 11, body: "Off by one.", suggestion: "const y = 2;" },
        { path: "src/a.ts", line: 25, body: "Unrelated line." },
        { path: "src/other.ts", line: 1, body: "Not in this PR." },
      ],
      [{ filename: "src/a.ts", patch: PATCH }],
    );
    expect(plan.inline).toEqual([
      { path: "src/a.ts", line: 11, side: "RIGHT", body: "Off by one.\n\n```suggestion\nconst y = 2;\n```" },
    ]);
    expect(plan.outside.map((c) => c.line)).toEqual([25, 1]);
  });

  it("posts one COMMENT review at the head commit with inline comments and a suggestion block", async () => {
    let sent: Record<string, unknown> = {};
    const scope = nock(API)
      .get("/repos/acme/widgets/pulls/7")
      .reply(200, { head: { sha: "abc123" } })
      .get("/repos/acme/widgets/pulls/7/files")
      .query({ per_page: "100" })
      .reply(200, [{ filename: "src/a.ts", patch: PATCH }])
      .post("/repos/acme/widgets/pulls/7/reviews", (body) => {
        sent = body;
        return true;
      })
      .reply(200, { html_url: "https://github.com/acme/widgets/pull/7#pullrequestreview-1" });
    const review = await postReview(
      testClient(),
      { owner: "acme", name: "widgets" },
      7,
      "abc123",
      "Two problems.",
      [
        { path: "src/a.ts", line: 12, body: "z is unused", suggestion: "const z = `4`;\n```" },
        { path: "src/a.ts", line: 99, body: "Outside the diff." },
      ],
    );
    expect(scope.isDone()).toBe(true);
    expect(review).toEqual({
      url: "https://github.com/acme/widgets/pull/7#pullrequestreview-1",
      inline: 1,
      outside: 1,
      moved: false,
    });
    expect(sent).toEqual({
      commit_id: "abc123",
      event: "COMMENT",
      body: expect.stringContaining(
        "### Comments on lines outside this diff\n\n**`src/a.ts` line 99**\n\nOutside the diff.",
      ),
      comments: [
        {
          path: "src/a.ts",
          line: 12,
          side: "RIGHT",
          body: "z is unused\n\n````suggestion\nconst z = `4`;\n```\n````",
        },
      ],
    });
  });
});

describe("a review that survives a moved head and GitHub's 422", () => {
  const comments = [
    { path: "src/a.ts", line: 12, body: "z is unused" },
    { path: "src/a.ts", line: 99, body: "Outside the diff." },
  ];

  it("puts every comment in the body, for the reviewed commit, when the head moved since the review started", async () => {
    const sent: Record<string, unknown>[] = [];
    const scope = nock(API)
      .get("/repos/acme/widgets/pulls/7")
      .reply(200, { head: { sha: "def4567890abcdef" } })
      .post("/repos/acme/widgets/pulls/7/reviews", (body) => sent.push(body) > 0)
      .reply(200, { html_url: "https://github.com/acme/widgets/pull/7#pullrequestreview-2" });
    const review = await postReview(
      testClient(),
      { owner: "acme", name: "widgets" },
      7,
      "abc1234567890000",
      "Two notes.",
      comments,
    );
    expect(scope.isDone()).toBe(true);
    expect(review).toMatchObject({ inline: 0, outside: 2, moved: true });
    expect(sent[0]).toMatchObject({ commit_id: "abc1234567890000", comments: [] });
    expect(sent[0]!.body).toContain("moved from abc123456789 to def4567890ab while this review ran");
    expect(sent[0]!.body).toContain("**`src/a.ts` line 12**\n\nz is unused");
  });

  it("posts the review again with the comments in its body when GitHub answers 422, instead of losing it", async () => {
    const sent: Record<string, unknown>[] = [];
    const scope = nock(API)
      .get("/repos/acme/widgets/pulls/7")
      .reply(200, { head: { sha: "abc123" } })
      .get("/repos/acme/widgets/pulls/7/files")
      .query({ per_page: "100" })
      .reply(200, [{ filename: "src/a.ts", patch: PATCH }])
      .post("/repos/acme/widgets/pulls/7/reviews", (body) => sent.push(body) > 0)
      .reply(422, {
        message: "Unprocessable Entity",
        errors: [
          "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank",
        ],
      })
      .post("/repos/acme/widgets/pulls/7/reviews", (body) => sent.push(body) > 0)
      .reply(200, { html_url: "https://github.com/acme/widgets/pull/7#pullrequestreview-3" });
    const review = await postReview(
      testClient(),
      { owner: "acme", name: "widgets" },
      7,
      "abc123",
      "Two notes.",
      comments,
    );
    expect(scope.isDone()).toBe(true);
    expect(review).toMatchObject({ inline: 0, outside: 2, moved: false });
    expect(sent[0]).toMatchObject({ commit_id: "abc123", comments: [{ line: 12 }] });
    expect(sent[1]).toMatchObject({ comments: [] });
    expect(sent[1]).not.toHaveProperty("commit_id");
    expect(sent[1]!.body).toContain("GitHub refused these comments inline");
    expect(sent[1]!.body).toContain("**`src/a.ts` line 12**");
  });
});

describe("pull request", () => {
  it("opens a draft, adds labels, and falls back to a titled non-draft where drafts are unsupported", async () => {
    const scope = nock(API)
      .post("/repos/acme/widgets/pulls", {
        head: "agent/x",
        base: "main",
        body: "b",
        title: "T",
        draft: true,
      })
      .reply(422, { message: "Validation Failed: Draft pull requests are not supported in this repository." })
      .post("/repos/acme/widgets/pulls", {
        head: "agent/x",
        base: "main",
        body: "b",
        title: "[draft] T",
        draft: false,
      })
      .reply(201, { number: 13, html_url: "https://github.com/acme/widgets/pull/13" })
      .post("/repos/acme/widgets/issues/13/labels", { labels: ["agent"] })
      .reply(200, []);
    const opened = await openPullRequest(testClient(), {
      owner: "acme",
      repo: "widgets",
      head: "agent/x",
      base: "main",
      title: "T",
      body: "b",
      draft: true,
      labels: ["agent"],
    });
    expect(opened).toEqual({ number: 13, url: "https://github.com/acme/widgets/pull/13", draft: false });
    expect(scope.isDone()).toBe(true);
  });
});

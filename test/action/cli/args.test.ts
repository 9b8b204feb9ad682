import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCliArgs, UsageError } from "../../../action/cli/args.ts";
import { loadTaskText, slugify, taskFromText } from "../../../action/cli/task-text.ts";

describe("inhouse run arguments", () => {
  it("parses the options into one settings object", () => {
    const parsed = parseCliArgs(
      [
        "run",
        "--repo",
        "/r",
        "--task",
        "Fix it",
        "--base-url",
        "http://x/v1",
        "--turns",
        "12",
        "--tool-calling",
        "text",
      ],
      { INHOUSE_MODEL_PROFILES: "/etc/inhouse/profiles.yml" },
    );
    expect(parsed).toEqual({
      command: "run",
      options: expect.objectContaining({
        repo: "/r",
        task: "Fix it",
        baseUrl: "http://x/v1",
        turns: 12,
        toolCalling: "text",
        profilesFile: "/etc/inhouse/profiles.yml",
      }),
    });
  });

  it("rejects what it cannot use, saying what is expected", () => {
    expect(() => parseCliArgs(["run", "--repo", "."], {})).toThrow(/--task "<text>" or --issue-file/);
    expect(() => parseCliArgs(["run", "--task", "x", "--turns", "0"], {})).toThrow(
      /--turns expects a positive whole number/,
    );
    expect(() => parseCliArgs(["run", "--task", "x", "--nope"], {})).toThrow(UsageError);
    expect(() => parseCliArgs(["deploy"], {})).toThrow(
      /unknown command .deploy.; the commands are `inhouse run`/,
    );
    expect(parseCliArgs([], {})).toEqual({ command: "help" });
  });

  it("keeps no warm sandboxes unless asked, by flag or environment", () => {
    const pool = (argv: string[], env: Record<string, string> = {}) => {
      const parsed = parseCliArgs(["run", "--task", "x", ...argv], env);
      return parsed.command === "run" ? parsed.options.sandboxPool : undefined;
    };
    expect(pool([])).toBe(0);
    expect(pool(["--sandbox-pool", "2"])).toBe(2);
    expect(pool([], { INHOUSE_SANDBOX_POOL: "1" })).toBe(1);
    expect(pool(["--sandbox-pool", "0"], { INHOUSE_SANDBOX_POOL: "1" })).toBe(0);
    expect(() => pool(["--sandbox-pool=17"])).toThrow(/--sandbox-pool expects a whole number from 0 to 16/);
    expect(() => pool([], { INHOUSE_SANDBOX_POOL: "many" })).toThrow(/got 'many'/);
  });

  it("records in a run history only when asked, and only in a PostgreSQL server", () => {
    const record = (argv: string[], env: Record<string, string> = {}) => {
      const parsed = parseCliArgs(["run", "--task", "x", ...argv], env);
      return parsed.command === "run" ? parsed.options.record : undefined;
    };
    expect(record([])).toBeUndefined();
    expect(record(["--record", "postgres://u:p@db:5432/inhouse"])).toBe("postgres://u:p@db:5432/inhouse");
    expect(record([], { INHOUSE_RECORD_URL: "postgresql://db/inhouse" })).toBe("postgresql://db/inhouse");
    const refused = () => record(["--record", "data/"]);
    expect(refused).toThrow(UsageError);
    expect(refused).toThrow(
      /--record expects the PostgreSQL URL .*postgres:\/\/user:password@host:5432\/inhouse/,
    );
    // The refusal never echoes what was passed: a URL can hold a password.
    expect(() => record(["--record", "mysql://u:s3cret@db/x"])).not.toThrow(/s3cret/);
  });

  it("takes the title from the first line and makes a branch-safe slug", () => {
    expect(taskFromText("# Fix sum() for negatives\n\nsum(-1, 1) is wrong")).toEqual({
      kind: "fix-issue",
      title: "Fix sum() for negatives",
      body: "sum(-1, 1) is wrong",
    });
    expect(slugify("Fix sum() for negatives")).toBe("fix-sum-for-negatives");
    expect(slugify("!!!")).toBe("task");
  });

  it("reads an issue file, and names the file when it cannot", async () => {
    const dir = await mkdtemp(join(tmpdir(), "issue-"));
    const path = join(dir, "issue.md");
    await writeFile(path, "# Crash on empty input\n\nSteps: call parse('').\n");
    expect(await loadTaskText(undefined, path)).toMatchObject({
      title: "Crash on empty input",
      body: "Steps: call parse('').",
    });
    await expect(loadTaskText(undefined, join(dir, "missing.md"))).rejects.toThrow(
      /cannot read --issue-file .*missing\.md: ENOENT/,
    );
  });
});

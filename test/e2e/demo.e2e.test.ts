import { afterAll, beforeAll, expect, it } from "vitest";
import { runDemo } from "../../demo/run-demo.ts";
import { allowDockerHijack } from "../action/sandbox/sandbox-helpers.ts";
import { describeDocker } from "../helpers/docker.ts";

/** Every phase `npm run demo` promises a newcomer, in the order they happen. */
const PHASES = [
  "webhook delivered",
  "permission checked",
  "status comment posted",
  "workflow dispatched",
  "runner started",
  "sandbox provisioned",
  "model turn",
  "verification",
  "branch pushed",
  "PR opened",
  "status comment final",
];

describeDocker("npm run demo", () => {
  let restoreNock: () => void;
  beforeAll(() => {
    restoreNock = allowDockerHijack();
  });
  afterAll(() => restoreNock?.());

  it("runs scenario 1 to an opened PR and prints each phase, the PR and its diff", async () => {
    const lines: string[] = [];
    const result = await runDemo((line) => lines.push(line));
    const output = lines.join("\n");

    expect(result.prOpened, output).toBe(true);
    const firstSeen = PHASES.map((phase) => result.events.findIndex((e) => e.phase === phase));
    expect(firstSeen, output).not.toContain(-1);
    // From the dispatch on, each phase follows the one before it (the App's first steps may interleave).
    const fromDispatch = firstSeen.slice(PHASES.indexOf("workflow dispatched"));
    expect(fromDispatch, output).toEqual([...fromDispatch].sort((a, b) => a - b));
    for (const phase of PHASES) expect(output).toMatch(new RegExp(`s {2}${phase} `));
    expect(output).toContain("turn 4: finish(");
    expect(output).toContain("`node --test test/` passed");
    expect(output).toMatch(/\[succeeded\]/);
    expect(output).toContain("Closes #1");
    expect(output).toContain("+  return a + b;");
    expect(output).toMatch(/label webhook → PR opened: \d+\.\d s/);
  }, 180_000);
});

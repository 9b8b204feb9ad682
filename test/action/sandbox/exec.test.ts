import { afterAll, beforeAll, expect, it } from "vitest";
import { createSandbox, type DockerSandbox, ownerOf } from "../../../action/sandbox/index.ts";
import { WarmPool } from "../../../action/sandbox/pool/index.ts";
import { describeDocker } from "../../helpers/docker.ts";
import { drainWarmPool } from "../../helpers/warm-pool.ts";
import { allowDockerHijack, requireSandboxImage } from "./sandbox-helpers.ts";

const OPTIONS = { taskId: "test-exec", killGraceMs: 500 };
/** A pool kept by this test process (each test file runs in a process of its own). */
const KEEPER = ownerOf(process.pid);

/** The same sandbox made for the task, or booted ahead of need by the pool and claimed. */
const sources: [string, () => Promise<DockerSandbox>][] = [
  ["made for the task", () => createSandbox(OPTIONS)],
  [
    "claimed from the warm pool",
    async () => {
      const pool = new WarmPool({ size: 1, keeper: KEEPER });
      await (await pool.acquire(OPTIONS)).destroy();
      await pool.settle();
      const sandbox = await pool.acquire(OPTIONS);
      if (pool.handedOut.at(-1) !== "pool") throw new Error("the pool handed out a new sandbox");
      await pool.settle();
      await drainWarmPool(KEEPER);
      return sandbox;
    },
  ],
];

describeDocker.each(sources)("sandbox exec through the persistent shell, %s", (_name, make) => {
  let sandbox: DockerSandbox;
  let restoreNock: () => void = () => undefined;
  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
    sandbox = await make();
  });
  afterAll(async () => {
    await sandbox?.destroy();
    restoreNock();
  });

  it.each([
    ["true", 0],
    ["false", 1],
    ["no-such-command-xyz", 127],
    ["bash -c 'kill -INT $$'", 130],
    ["exit 130", 130],
  ])("reports the exit code of %s", async (command, code) => {
    const result = await sandbox.exec(command);
    expect(result.exitCode).toBe(code);
    expect(result.timedOut).toBe(false);
  });

  it("notices a command that replaced or killed its own shell", async () => {
    const replaced = await sandbox.exec("exec sh -c 'exit 3'", { timeoutMs: 10_000 });
    expect(replaced).toMatchObject({ exitCode: 3, timedOut: false });
    const killed = await sandbox.exec("kill -KILL $BASHPID", { timeoutMs: 10_000 });
    expect(killed).toMatchObject({ exitCode: 137, timedOut: false });
    expect((await sandbox.exec("echo alive")).stdout).toBe("alive\n");
  });

  it("keeps stdout and stderr apart", async () => {
    const result = await sandbox.exec("echo out; echo err >&2; printf tail");
    expect(result.stdout).toBe("out\ntail");
    expect(result.stderr).toBe("err\n");
  });

  it("survives quoting torture: quotes, $, backticks, heredocs, unicode", async () => {
    const command = [
      `echo "double \\"quoted\\" \\$HOME" 'single $HOME \`x\`' $'tab\\there'`,
      "cat <<'EOF'",
      "literal $PATH `date` ' \" \\",
      "EOF",
      'printf "%s\\n" "héllo wörld 中文 🚀"',
    ].join("\n");
    const result = await sandbox.exec(command);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      'double "quoted" $HOME single $HOME `x` tab\there\nliteral $PATH `date` \' " \\\nhéllo wörld 中文 🚀\n',
    );
  });

  it("keeps cwd and exported variables between commands; cwd/env options apply to one command", async () => {
    await sandbox.exec("mkdir -p /workspace/sub && cd /workspace/sub && export KEEP_ME='a b' DROP_ME=1");
    await sandbox.exec("unset DROP_ME");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    expect((await sandbox.exec('pwd; echo "$KEEP_ME|${DROP_ME-unset}"')).stdout).toBe(
      "/workspace/sub\na b|unset\n",
    );
    const oneOff = await sandbox.exec("pwd; echo $ONE_OFF; cd /", { cwd: "/tmp", env: { ONE_OFF: "x'y" } });
    expect(oneOff.stdout).toBe("/tmp\nx'y\n");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    expect((await sandbox.exec("pwd; echo ${ONE_OFF-none}")).stdout).toBe("/workspace/sub\nnone\n");
  });

  it("carries changes made after commands that changed nothing, unsets included", async () => {
    await sandbox.exec("export CARRY_A=1 CARRY_B=2");
    await sandbox.exec("true");
    await sandbox.exec("unset CARRY_A; cd /tmp");
    await sandbox.exec("ls >/dev/null");
    await sandbox.exec("export CARRY_B=3; export CARRY_B=2");
    await sandbox.exec("cd /workspace/sub");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    expect((await sandbox.exec('pwd; echo "${CARRY_A-unset} $CARRY_B"; cd /tmp')).stdout).toBe(
      "/workspace/sub\nunset 2\n",
    );
    expect((await sandbox.exec("pwd")).stdout).toBe("/tmp\n");
    await sandbox.exec("cd /workspace/sub; unset CARRY_B");
  });

  it("kills a command past its deadline and the shell lives on with its state", async () => {
    const slept = await sandbox.exec("sleep 100", { timeoutMs: 1000 });
    expect(slept.timedOut).toBe(true);
    expect(slept.durationMs).toBeLessThan(5000);
    const stubborn = await sandbox.exec("trap '' TERM; while :; do :; done", { timeoutMs: 800 });
    expect(stubborn.timedOut).toBe(true);
    const closedEarly = await sandbox.exec("exec >&- 2>&-; sleep 100", { timeoutMs: 800 });
    expect(closedEarly.timedOut).toBe(true);
    const after = await sandbox.exec('pwd; echo "$KEEP_ME"; pgrep -cf "sleep 100" || true');
    expect(after.stdout).toBe("/workspace/sub\na b\n0\n");
  });

  it("caps output as head + tail with a marker and returns binary safely", async () => {
    const big = await sandbox.exec("seq 1 200000", { maxOutputBytes: 4096 });
    expect(big.truncated).toBe(true);
    expect(big.stdout.startsWith("1\n2\n3\n")).toBe(true);
    expect(big.stdout.endsWith("199999\n200000\n")).toBe(true);
    expect(big.stdout).toMatch(/\[\.\.\. \d+ bytes omitted/);
    const binary = await sandbox.exec("printf '\\xff\\xfe\\x00ok'");
    expect(binary.stdout).toBe("\uFFFD\uFFFD\u0000ok");
  });

  it("serialises concurrent calls", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => sandbox.exec(`echo ${i}`)));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 8 }, (_, i) => `${i}\n`));
  });
});

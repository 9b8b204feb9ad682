/**
 * scripts/install-runner-host.sh for real, as root, on this host (CI's fresh machine): the first run
 * puts the pieces in place, the second changes nothing. Configuration goes to a scratch --etc; the
 * engine, images, packages and the runner's account are the host's own. (The same two runs in a
 * fresh Debian container, engine and image builds included, are in docs/install.md's check list.)
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerAvailable } from "../helpers/docker.ts";

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, "../../scripts/install-runner-host.sh");
const RUNNER_USER = "inhouse-test-runner";
const root = process.getuid?.() === 0;
const describeRoot = root && dockerAvailable ? describe : describe.skip;
if (!root)
  console.warn("Skipping the install script test: it installs packages and a user, so it runs as root.");

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    out[path.slice(dir.length)] = `${info.mode.toString(8)} ${info.gid} ${await readFile(path, "utf8")}`;
  }
  return out;
}

describeRoot("install-runner-host.sh", () => {
  let etc: string;
  const install = async (...args: string[]) =>
    (await run("bash", [SCRIPT, "--etc", etc, "--runner-user", RUNNER_USER, ...args], { timeout: 600_000 }))
      .stdout;

  beforeAll(async () => {
    etc = await mkdtemp(join(tmpdir(), "install-etc-"));
  });
  afterAll(async () => {
    await rm(etc, { recursive: true, force: true });
  });

  it("refuses what it cannot do, naming the fix", async () => {
    await expect(install("--token", "AAAA")).rejects.toMatchObject({
      stderr: expect.stringMatching(/--token needs --url/),
    });
    await expect(install("--runtime", "kata")).rejects.toMatchObject({
      stderr: expect.stringMatching(/--runtime knows runsc/),
    });
  });

  it("sets a host up, and a second run changes nothing", async () => {
    const first = await install("--with-app");
    expect(first).toMatch(/inhouse-sandbox:latest/);
    expect(first).toMatch(/inhouse-egress-proxy:latest/);
    expect(first).toMatch(/runner not registered: pass --url and --token/);
    const profiles = await readFile(join(etc, "inhouse/models.yml"), "utf8");
    expect(profiles).toMatch(/profiles:\n {2}default:\n {4}baseUrl: /);
    expect(((await stat(join(etc, "inhouse/models.yml"))).mode & 0o777).toString(8)).toBe("640");
    expect(await readFile(join(etc, "systemd/system/inhouse-app.service"), "utf8")).toMatch(
      /ExecStart=\/usr\/bin\/env npm start/,
    );
    const { stdout: groups } = await run("id", ["-nG", RUNNER_USER]);
    expect(groups.split(/\s+/)).toContain("docker");

    const before = await snapshot(etc);
    const second = await install("--with-app");
    expect(second).toMatch(/install: 0 changes\n/);
    expect(second).not.toMatch(/^install: (installed|wrote|created|added)/m);
    expect(await snapshot(etc)).toEqual(before);
  }, 900_000);
});

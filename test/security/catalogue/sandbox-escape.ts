/**
 * Attacks from inside the sandbox: network egress under the `none` and `allowlist` profiles,
 * resource exhaustion, and path traversal through every file tool. All on real containers.
 * Network attempts only ever name the allowed registry (by name or address) or example.com, which
 * never resolves inside and which the proxy refuses before connecting.
 */
import { lookup } from "node:dns/promises";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { createSandbox, type DockerSandbox } from "../../../action/sandbox/index.ts";
import { executeToolCall, toolsForTask } from "../../../action/tools/registry.ts";
import { expectResourceAttackContained } from "../../action/sandbox/resource-attack.ts";
import { underGvisor } from "../../helpers/runsc.ts";
import { attack, networkAttack, networkCasesRun } from "./registry.ts";

const ALLOWED = "registry.npmjs.org";
const OUTSIDE = "example.com";
const curl = (url: string) =>
  `curl -sS -o /dev/null -w '%{http_code}' --max-time 8 ${url} 2>&1; echo " exit=$?"`;
/** The none sandbox's caps; the resource attacks get sandboxes of their own with the same. */
const SMALL = { memoryMb: 256, pids: 128 };
const rawTcp = (host: string, port: number) =>
  `timeout 8 bash -c 'exec 3<>/dev/tcp/${host}/${port} && echo connected' 2>&1; echo " exit=$?"`;

export function sandboxEscapeCases(): void {
  describe("from inside the sandbox", () => {
    let none: DockerSandbox;
    let allowlist: DockerSandbox;
    let registryAddress: string;
    beforeAll(async () => {
      registryAddress = (await lookup(ALLOWED, { family: 4 })).address;
      [none, allowlist] = await Promise.all([
        createSandbox({ ...SMALL, taskId: "catalogue-none", workspaceMb: 64, maxOutputBytes: 64 * 1024 }),
        // Not under a runtime without a network (gVisor here): its cases are not tried, and say why.
        networkCasesRun
          ? createSandbox({
              taskId: "catalogue-allowlist",
              network: "allowlist",
              allowlist: [ALLOWED],
              memoryMb: 256,
            })
          : (undefined as unknown as DockerSandbox),
      ]);
      await none.exec(
        "mkdir -p src && echo 'export const a = 1;' > src/a.js && ln -s /etc etc-link && ln -s /tmp tmp-link",
      );
    }, 120_000);
    afterAll(async () => {
      await Promise.all([none?.destroy(), allowlist?.destroy()]);
    });

    networkAttack(
      "curl to a host outside the allowlist gets 403 from the proxy under allowlist, and is reported",
      async () => {
        const proxied = await allowlist.exec(curl(`https://${OUTSIDE}/`), { timeoutMs: 30_000 });
        expect(proxied.stdout).toMatch(/CONNECT tunnel failed, response 403/);
        const plain = await allowlist.exec(curl(`http://${OUTSIDE}/`), { timeoutMs: 30_000 });
        expect(plain.stdout).toMatch(/^403 exit=0/);
        expect((await allowlist.egressReport()).blocked).toContainEqual({ host: OUTSIDE, count: 2 });
      },
      60_000,
    );

    attack(
      "curl to an outside host fails under none",
      async () => {
        const cut = await none.exec(curl(`https://${OUTSIDE}/`), { timeoutMs: 30_000 });
        expect(cut.stdout).toMatch(/ exit=\d+/); // the command ran
        expect(cut.stdout).not.toMatch(/^[1-5]\d\d exit=0/);
      },
      60_000,
    );

    const dnsFails = async (sandbox: DockerSandbox) => {
      const result = await sandbox.exec(`getent hosts ${OUTSIDE} || echo dns-failed`, { timeoutMs: 30_000 });
      expect(result.stdout).toBe("dns-failed\n");
    };
    networkAttack("DNS for an outside name fails under allowlist", () => dnsFails(allowlist), 60_000);
    attack("DNS for an outside name fails under none", () => dnsFails(none), 60_000);

    const rawTcpFails = async (sandbox: DockerSandbox) => {
      for (const target of [rawTcp(registryAddress, 443), rawTcp(OUTSIDE, 80)]) {
        const result = await sandbox.exec(target, { timeoutMs: 30_000 });
        expect(result.stdout).toMatch(/ exit=\d+/);
        expect(result.stdout).not.toContain("connected");
      }
    };
    networkAttack(
      "raw TCP (bash /dev/tcp) around the proxy fails under allowlist, while the proxy reaches the allowed registry",
      async () => {
        await rawTcpFails(allowlist);
        // Positive control: through the proxy the allowed registry answers.
        const control = await allowlist.exec(curl(`https://${ALLOWED}/`), { timeoutMs: 30_000 });
        expect(control.stdout).toMatch(/^200 exit=0/);
      },
      120_000,
    );
    attack(
      "raw TCP (bash /dev/tcp) to the registry's address fails under none",
      () => rawTcpFails(none),
      120_000,
    );

    attack(
      "becoming root, writing the root filesystem or reaching the Docker socket fails (no_new_privs read by prctl: gVisor's /proc/self/status has no NoNewPrivs line)",
      async () => {
        const result = await none.exec(
          [
            "id -u",
            "grep CapEff /proc/self/status",
            // PR_GET_NO_NEW_PRIVS (39): the kernel's own answer, under runc and gVisor alike.
            `python3 -c 'import ctypes; print("no_new_privs", ctypes.CDLL(None).prctl(39, 0, 0, 0, 0))'`,
            "sudo -n true 2>/dev/null && echo became-root",
            "touch /etc/owned 2>/dev/null && echo wrote-root-fs",
            "ls /var/run/docker.sock /run/docker.sock 2>/dev/null && echo docker-socket",
            "curl -s --unix-socket /var/run/docker.sock http://x/version 2>/dev/null | grep -q ApiVersion && echo docker-api",
            "echo done",
          ].join("; "),
          { timeoutMs: 30_000 },
        );
        expect(result.stdout).toMatch(/^1000\nCapEff:\s+0+\nno_new_privs 1\n/);
        expect(result.stdout).not.toMatch(/became-root|wrote-root-fs|docker-socket|docker-api/);
        expect(result.stdout).toContain("done");
      },
    );

    networkAttack(
      "the runner host's own services (listening on 0.0.0.0) are out of reach under allowlist",
      async () => {
        const listener = createServer((socket) => socket.end("host-service\n"));
        await new Promise<void>((resolve) => listener.listen(0, "0.0.0.0", resolve));
        const port = (listener.address() as AddressInfo).port;
        try {
          const [network] = await new Docker().listNetworks({
            filters: JSON.stringify({ label: ["inhouse.task=catalogue-allowlist"] }),
          });
          const gateway = network?.IPAM?.Config?.[0]?.Gateway;
          expect(gateway).toBeTruthy();
          for (const host of [gateway!, "172.17.0.1"]) {
            const result = await allowlist.exec(rawTcp(host, port), { timeoutMs: 30_000 });
            expect(result.stdout).not.toContain("connected");
          }
        } finally {
          await new Promise((resolve) => listener.close(resolve));
        }
      },
      60_000,
    );

    /** A resource attack in a sandbox of its own: under gVisor a memory hog ends the whole sandbox. */
    const inOwnSandbox = async (
      taskId: string,
      command: string,
      timeoutMs: number,
      sandboxMayEnd: boolean,
    ) => {
      const target = await createSandbox({ ...SMALL, taskId });
      try {
        return await expectResourceAttackContained(target, command, timeoutMs, { sandboxMayEnd });
      } finally {
        await target.destroy();
      }
    };

    attack(
      "a fork bomb is contained and the shell stays usable (under gVisor by its own RLIMIT_NPROC)",
      async () => {
        // Either the pids cap makes bash give up or the deadline kills the tree; never a clean run.
        await inOwnSandbox("catalogue-bomb", "bomb() { bomb | bomb; }; bomb", 3_000, false);
      },
      // Killing the bomb's tree inside gVisor took 11 s idle and over 90 s on this loaded host.
      180_000,
    );

    attack(
      "a memory hog dies and the shell does not (gVisor: or the whole sandbox ends with a clear error)",
      async () => {
        // gVisor (Debian's runsc 2022-12) is killed by the host's memory cgroup: the whole sandbox ends,
        // which the task reports as "the sandbox is gone" (contained: nothing outside is touched).
        await inOwnSandbox("catalogue-hog", `python3 -c "x = b'a' * (1024 ** 3)"`, 60_000, underGvisor);
      },
      90_000,
    );

    attack(
      "filling the workspace tmpfs stops at its size cap",
      async () => {
        const fill = await none.exec("dd if=/dev/zero of=fill bs=1M count=200 2>&1; echo exit=$?", {
          timeoutMs: 60_000,
        });
        expect(fill.stdout).toMatch(/No space left on device/);
        // The file's own size: du rounds gVisor's 9p blocks up past the cap (65).
        const size = await none.exec("stat -c %s fill; rm -f fill");
        expect(Number(size.stdout.trim())).toBeLessThanOrEqual(64 * 1024 * 1024);
        expect((await none.exec("echo alive")).stdout).toBe("alive\n");
      },
      90_000,
    );

    // The cap is the host's (output-capture.ts), the same under every runtime; gVisor's pipes pass
    // a few MB/s on this loaded 2-core host, so under it the flood is 64 MB, still 1,000 times the cap.
    const floodBytes = underGvisor ? 64 * 1024 * 1024 : 1024 ** 3;
    attack(
      `${underGvisor ? "64 MB" : "1 GB"} of output comes back capped, head and tail`,
      async () => {
        const before = process.memoryUsage().rss;
        const flood = await none.exec(
          `head -c ${floodBytes} /dev/zero | tr '\\0' a; echo; echo end-of-flood`,
          {
            timeoutMs: 240_000,
          },
        );
        expect(flood.truncated).toBe(true);
        expect(flood.stdout.length).toBeLessThan(80 * 1024);
        expect(flood.stdout).toMatch(/omitted/);
        expect(flood.stdout).toContain("end-of-flood");
        expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
      },
      300_000,
    );

    attack(
      "sleep infinity is killed at the deadline and the shell goes on",
      async () => {
        const sleeper = await none.exec("sleep infinity", { timeoutMs: 2_000 });
        expect(sleeper).toMatchObject({ timedOut: true, exitCode: 124 });
        expect((await none.exec("pgrep -c sleep || true")).stdout.trim()).toMatch(/^[01]$/); // only the container's own
        expect((await none.exec("echo alive")).stdout).toBe("alive\n");
      },
      60_000,
    );

    const escapes = [
      "../../etc/passwd",
      "/etc/passwd",
      "etc-link/passwd",
      "src/a.js\u0000/../../../etc/passwd",
    ];
    const writeEscapes = [
      "../../tmp/escaped",
      "/tmp/escaped",
      "tmp-link/escaped",
      "escaped\u0000../../tmp/x",
    ];
    attack(
      "path traversal (../, absolute, symlinked parent, NUL byte) is refused by every file tool",
      async () => {
        const tools = toolsForTask({ kind: "fix-issue" });
        const context = { sandbox: none, reviewComments: [], maxCommandMs: 30_000 };
        const call = async (name: string, args: Record<string, unknown>) => {
          const result = await executeToolCall(
            { id: "c", name, arguments: JSON.stringify(args) },
            tools,
            context,
          );
          return { name, args, ok: result.ok, output: result.output };
        };
        const attempts = [
          ...escapes.map((path) => call("read_file", { path })),
          ...escapes.map((path) => call("list_files", { path: path.replace(/\/passwd$/, "") })),
          ...escapes.map((path) => call("search", { pattern: "root:", path })),
          ...escapes.map((path) => call("edit_file", { path, oldText: "root", newText: "toor" })),
          ...writeEscapes.map((path) => call("write_file", { path, content: "escaped" })),
        ];
        for (const attempt of await Promise.all(attempts)) {
          expect({ ...attempt, output: attempt.output.slice(0, 200) }).toMatchObject({ ok: false });
          expect(attempt.output).not.toMatch(/root:x:0:0|passwd\n|shadow/);
        }
        // Positive control: the same tools work inside the workspace, and nothing landed outside it.
        expect((await call("read_file", { path: "src/a.js" })).ok).toBe(true);
        const outside = await none.exec("ls /tmp/escaped /tmp/x 2>&1; echo done");
        expect(outside.stdout).not.toMatch(/^\/tmp\/(escaped|x)$/m);
        // A run call that leaves the shell in /etc does not move the file tools out of the workspace.
        await call("run", { command: "cd /etc" });
        const listed = await call("list_files", { path: "." });
        const searched = await call("search", { pattern: "root:", path: "." });
        await none.exec("cd /workspace");
        expect(listed.output).toContain("src/a.js");
        expect(listed.output).not.toMatch(/passwd/);
        expect(searched.output).not.toMatch(/root:x:0:0/);
      },
      120_000,
    );
  });
}

import { randomBytes } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { join } from "node:path";
import { close, listen } from "./http-server.ts";
import type { Caller } from "./openapi-route.ts";
import type { RepoRecord } from "./state.ts";

/**
 * GitHub judges each ref of a push on its own side (branch protection, rulesets, fork permissions,
 * the Workflows permission) and refuses one with ` ! [remote rejected] <ref> (<reason>)`, often
 * after `remote: error: GH006 ...` lines. Here git's `update` hook is that decision point: git runs
 * it once per ref after the pack is received, shows what it prints on stderr as `remote: ...`, and
 * a non-zero exit refuses only that ref (githooks(5), "update",
 * https://git-scm.com/docs/githooks#update). The hook asks this gate over loopback HTTP; git's
 * fixed reason ("hook declined") is then rewritten to GitHub's (`report-status.ts`).
 */
export interface RefUpdate {
  ref: string;
  /** 40 zeros when the ref is created. */
  before: string;
  /** 40 zeros when the ref is deleted. */
  after: string;
}

export interface PushContext {
  repo: RepoRecord;
  caller: Caller;
}

export interface PushRefusal {
  /** What git prints in parentheses after `[remote rejected] <ref>`. */
  reason: string;
  /** Lines the client prints as `remote: <line>`. */
  lines?: string[];
}

export type PushRule = (
  push: PushContext,
  update: RefUpdate,
) => PushRefusal | undefined | Promise<PushRefusal | undefined>;

export const ZERO_SHA = "0000000000000000000000000000000000000000";

const HOOK = `
const [ref, before, after] = process.argv.slice(2);
const push = process.env.LOCAL_GITHUB_PUSH;
if (!push) process.exit(0);
fetch(process.env.LOCAL_GITHUB_GATE, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ push, ref, before, after }),
})
  .then((response) => response.json())
  .then((verdict) => {
    for (const line of verdict.lines ?? []) process.stderr.write(line + "\\n");
    process.exit(verdict.refused ? 1 : 0);
  })
  .catch((error) => {
    process.stderr.write("local GitHub push gate unreachable: " + error.message + "\\n");
    process.exit(1);
  });
`;

interface OpenPush {
  context: PushContext;
  reasons: Map<string, string>;
}

export class PushGate {
  private readonly rules: PushRule[] = [];
  private readonly open = new Map<string, OpenPush>();

  private constructor(
    private readonly server: Server,
    private readonly url: string,
    private readonly hooksDir: string,
  ) {}

  /** Writes the `update` hook under `root` and starts the loopback endpoint it calls. */
  static async start(root: string): Promise<PushGate> {
    const hooksDir = join(root, ".push-gate-hooks");
    await mkdir(hooksDir, { recursive: true });
    const hook = join(hooksDir, "update");
    await writeFile(hook, `#!${process.execPath}\n${HOOK}`);
    await chmod(hook, 0o755);
    let gate: PushGate | undefined;
    const { server, url } = await listen(async (_request, response, body) => {
      const verdict = await gate!.decide(JSON.parse(body.toString("utf8")));
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(verdict));
    });
    gate = new PushGate(server, url, hooksDir);
    return gate;
  }

  /** Rules run in the order added; the first refusal wins. */
  addRule(rule: PushRule): void {
    this.rules.push(rule);
  }

  /**
   * The environment for one `git http-backend` run of a push: git reads the hooks directory from
   * it and the hook finds this push by its id. `finish()` returns GitHub's reason per refused ref.
   */
  begin(context: PushContext): { env: Record<string, string>; finish(): Map<string, string> } {
    const id = randomBytes(12).toString("hex");
    const push: OpenPush = { context, reasons: new Map() };
    this.open.set(id, push);
    return {
      env: {
        GIT_CONFIG_COUNT: "1",
        GIT_CONFIG_KEY_0: "core.hooksPath",
        GIT_CONFIG_VALUE_0: this.hooksDir,
        LOCAL_GITHUB_PUSH: id,
        LOCAL_GITHUB_GATE: this.url,
      },
      finish: () => {
        this.open.delete(id);
        return push.reasons;
      },
    };
  }

  /** Judges one ref update of a push in progress: the first rule that refuses decides. */
  async judge(context: PushContext, update: RefUpdate): Promise<PushRefusal | undefined> {
    for (const rule of this.rules) {
      const refusal = await rule(context, update);
      if (refusal) return refusal;
    }
    return undefined;
  }

  private async decide(input: RefUpdate & { push: string }): Promise<{ refused: boolean; lines?: string[] }> {
    const push = this.open.get(input.push);
    if (!push) return { refused: true, lines: ["local GitHub: this push is not one the gate opened"] };
    const refusal = await this.judge(push.context, {
      ref: input.ref,
      before: input.before,
      after: input.after,
    });
    if (!refusal) return { refused: false };
    push.reasons.set(input.ref, refusal.reason);
    return { refused: true, lines: refusal.lines };
  }

  close(): Promise<void> {
    return close(this.server);
  }
}

import { describe, expect, it } from "vitest";
import { AUDIT_REASONING_MAX_CHARS, accountReply } from "../../../action/agent/account-reply.ts";
import { askModel, fitToContext, writingReporter } from "../../../action/agent/ask-model.ts";
import type { AuditEvent } from "../../../action/agent/audit-log.ts";
import { Conversation } from "../../../action/agent/conversation.ts";
import type { AgentProgress } from "../../../action/agent/types.ts";
import type { CompleteOptions, ModelClient } from "../../../action/model/types.ts";
import { openTurnFixture, replyWith } from "./turn-fixture.ts";

const result = (turn: number) => `output of turn ${turn}\n${"x".repeat(2_000)}`;

function conversationWithResults(turns: number): Conversation {
  const conversation = new Conversation("system", "task");
  for (let turn = 1; turn <= turns; turn++) {
    conversation.append(
      { role: "assistant", content: "", toolCalls: [{ id: `c${turn}`, name: "run", arguments: "{}" }] },
      turn,
    );
    conversation.append({ role: "tool", toolCallId: `c${turn}`, name: "run", content: result(turn) }, turn);
  }
  return conversation;
}

describe("fitToContext", () => {
  it("leaves a request that fits the window as it is and records nothing", () => {
    const audit: AuditEvent[] = [];
    const messages = fitToContext(conversationWithResults(3), 4, 100_000, 500, {
      write: (e) => audit.push(e),
    });
    expect(messages.filter((m) => m.content.startsWith("[output of"))).toEqual([]);
    expect(audit).toEqual([]);
  });

  it("masks every result but the last turn's when the request would overflow, and records the sizes", () => {
    const audit: AuditEvent[] = [];
    // 3 results of ~2,000 characters are ~1,500 tokens: over 70% of a 1,500-token window.
    const messages = fitToContext(conversationWithResults(3), 4, 1_500, 0, { write: (e) => audit.push(e) });
    const results = messages.filter((m) => m.role === "tool").map((m) => m.content);
    expect(results[0]).toMatch(/^\[output of `run` elided, \d+ chars/);
    expect(results[1]).toMatch(/^\[output of `run` elided/);
    expect(results[2]).toBe(result(3));
    expect(audit).toHaveLength(1);
    const [mask] = audit as Extract<AuditEvent, { type: "context_mask" }>[];
    expect(mask).toMatchObject({ type: "context_mask", turn: 4, contextWindow: 1_500 });
    expect(mask!.estimatedTokensAfter).toBeLessThan(mask!.estimatedTokensBefore);
    expect(mask!.estimatedTokensBefore).toBeGreaterThan(1_500 * 0.7);
  });

  it("sends everything when the window is unknown", () => {
    const messages = fitToContext(conversationWithResults(3), 4, undefined, 0, { write: () => {} });
    expect(messages.filter((m) => m.role === "tool").map((m) => m.content)).toEqual([1, 2, 3].map(result));
  });
});

describe("askModel", () => {
  function clientThat(complete: ModelClient["complete"]): ModelClient {
    return { mode: "native", complete };
  }

  it("lets the reply use only what is left of the token budget", async () => {
    const { run, session } = await openTurnFixture({ limits: { tokens: 20_000 } });
    const asked: CompleteOptions[] = [];
    run.client = clientThat(async (_messages, _tools, _signal, options = {}) => {
      asked.push(options);
      return replyWith();
    });
    run.usage = { prompt: 0, completion: 0, total: 5_000, estimated: false };
    await askModel(run, session, 1);
    run.usage = { prompt: 0, completion: 0, total: 19_999, estimated: false };
    await askModel(run, session, 2);
    // The prompt (system prompt, task and tool specs) counts too.
    expect(asked[0]!.maxReplyTokens).toBeLessThan(15_000);
    expect(asked[0]!.maxReplyTokens).toBeGreaterThan(10_000);
    expect(asked[1]!.maxReplyTokens).toBe(1);
  });

  it("stops as failed with the model's error", async () => {
    const { run, session } = await openTurnFixture();
    run.client = clientThat(async () => {
      throw new Error("401 from http://model: check the API key");
    });
    expect(await askModel(run, session, 1)).toEqual({
      stop: { outcome: "failed", reason: "The model call failed: 401 from http://model: check the API key" },
    });
  });

  it("stops as a budget stop, keeping the work, when the call failed because the run was cancelled", async () => {
    const caller = new AbortController();
    const { run, session } = await openTurnFixture({ signal: caller.signal });
    run.client = clientThat(async (_m, _t, signal) => {
      caller.abort();
      throw signal?.reason ?? new Error("aborted");
    });
    expect(await askModel(run, session, 1)).toEqual({
      stop: {
        outcome: "budget",
        reason: "Stopped: the run was cancelled; the changes made so far are kept.",
      },
    });
  });
});

describe("accountReply", () => {
  it("counts the tokens and records the reply, its reasoning cut to the audit cap", async () => {
    const { run, audit } = await openTurnFixture();
    run.turns = 1;
    expect(
      accountReply(run, 1, replyWith({ reasoning: "r".repeat(AUDIT_REASONING_MAX_CHARS + 50) }), 3),
    ).toBeUndefined();
    accountReply(run, 2, replyWith(), 5);
    expect(run.usage).toEqual({ prompt: 200, completion: 40, total: 240, estimated: false });
    const requests = audit.filter((e) => e.type === "model_request");
    expect(requests.map((e) => e.messages)).toEqual([3, 5]);
    expect(requests[0]!.reasoning).toHaveLength(AUDIT_REASONING_MAX_CHARS);
    expect(requests[1]).not.toHaveProperty("reasoning");
  });

  it("stops on a reply the token budget cut mid-stream, and only then", async () => {
    const { run } = await openTurnFixture({ limits: { tokens: 200 } });
    run.turns = 1;
    const big = { prompt: 150, completion: 100, total: 250, estimated: false };
    // Over the budget but complete: its calls run; the next turn's check stops the run.
    expect(accountReply(run, 1, replyWith({ usage: big }), 2)).toBeUndefined();
    const stop = accountReply(run, 1, replyWith({ usage: big, capped: true }), 2);
    expect(stop).toEqual({
      outcome: "budget",
      reason:
        "Stopped: the token budget of 200 tokens ran out after 500 (limits.tokens); the changes made so far are kept.",
    });
  });
});

describe("writingReporter", () => {
  it("reports the first text at once, then at most once per interval", async () => {
    const events: AgentProgress[] = [];
    const report = writingReporter((e) => events.push(e), 3, 20, 50);
    report(10);
    report(20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    report(30);
    expect(events).toEqual([
      { phase: "writing", turn: 3, maxTurns: 20, chars: 10 },
      { phase: "writing", turn: 3, maxTurns: 20, chars: 30 },
    ]);
  });
});

/**
 * Step 1 of a turn: ask the model. The conversation is rendered for this turn (old results masked
 * early when the request would overflow the context window), and the reply may use only what is
 * left of the token budget.
 */
import type { ChatMessage } from "../chat/types.ts";
import type { ModelReply } from "../model/types.ts";
import { estimateTokens } from "../model/usage.ts";
import { type AgentRun, type Stop, stopKeepingWork } from "./agent-run.ts";
import type { AuditLog } from "./audit-log.ts";
import { replyTokensLeft } from "./budget.ts";
import type { Conversation } from "./conversation.ts";
import type { Session } from "./start-session.ts";
import type { AgentProgress } from "./types.ts";

/** Share of the model's context window the prompt may fill, leaving room for the reply. */
const CONTEXT_FILL_LIMIT = 0.7;

/** The request for `turn`, with an extra mask event first when it would overflow the context window. */
export function fitToContext(
  conversation: Conversation,
  turn: number,
  contextWindow: number | undefined,
  specsChars: number,
  audit: AuditLog,
): ChatMessage[] {
  if (!contextWindow) return conversation.render(turn);
  const limit = contextWindow * CONTEXT_FILL_LIMIT;
  const before = estimateTokens(conversation.renderedChars(turn) + specsChars);
  if (before <= limit) return conversation.render(turn);
  // Keep the last turn's results: they are what the model is about to act on.
  conversation.maskThrough(turn - 2);
  const after = estimateTokens(conversation.renderedChars(turn) + specsChars);
  audit.write({
    type: "context_mask",
    turn,
    estimatedTokensBefore: before,
    estimatedTokensAfter: after,
    contextWindow,
  });
  return conversation.render(turn);
}

/**
 * "The model is writing": progress while a reply streams in, so the status comment and the CLI
 * show a long generation is alive. Reported when the first text arrives, then at most every
 * `everyMs`, so a fast stream does not flood the printer.
 */
export function writingReporter(
  progress: (event: AgentProgress) => void,
  turn: number,
  maxTurns: number,
  everyMs = 2_000,
): (chars: number) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (chars) => {
    const now = performance.now();
    if (now - last < everyMs) return;
    last = now;
    progress({ phase: "writing", turn, maxTurns, chars });
  };
}

function promptChars(messages: ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + message.content.length, 0);
}

/** The reply and how many messages were sent for it, or why the run stops here. */
export type Asked = { reply: ModelReply; messagesSent: number } | { stop: Stop };

export async function askModel(run: AgentRun, session: Session, turn: number): Promise<Asked> {
  const { limits } = run.options;
  const messages = fitToContext(
    session.conversation,
    turn,
    session.contextWindow,
    session.specsChars,
    run.audit,
  );
  try {
    const reply = await run.client.complete(messages, session.specs, run.budget.signal, {
      onText: writingReporter(run.progress, turn, limits.turns),
      maxReplyTokens: replyTokensLeft(
        limits.tokens,
        run.usage.total,
        promptChars(messages) + session.specsChars,
      ),
    });
    return { reply, messagesSent: messages.length };
  } catch (error) {
    if (run.budget.signal.aborted) {
      return {
        stop: stopKeepingWork("budget", run.budget.exceeded(run.turns, 0) ?? "the run was cancelled"),
      };
    }
    return { stop: { outcome: "failed", reason: `The model call failed: ${(error as Error).message}` } };
  }
}

/**
 * The audit log: one JSON object per line for every model request and every tool call, on the
 * runner's disk. Every line passes the redactor before it is written.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createRedactor } from "../../core/redact.ts";
import type { McpServerEvent } from "../mcp/open-mcp-servers.ts";

/** Tool results are kept in the log up to this size; the model saw at most the observation cap. */
export const AUDIT_RESULT_MAX_CHARS = 4_000;

export type AuditEvent =
  | {
      type: "start";
      task: string;
      kind: string;
      model: string;
      baseUrl: string;
      testCommand?: string;
      contextWindow?: number;
      /** Where the window came from: the profile, the server (vLLM, llama.cpp, Ollama), or unknown. */
      contextWindowSource: string;
    }
  | { type: "setup"; command: string; exitCode: number; durationMs: number; output: string }
  | {
      type: "model_request";
      turn: number;
      mode: string;
      messages: number;
      requestChars: number;
      promptTokens: number;
      completionTokens: number;
      estimated: boolean;
      latencyMs: number;
      attempts: number;
      finishReason: string | null;
      streamed: boolean;
      capped: boolean;
      /** The model's reasoning: recorded here only, never acted on. */
      reasoning?: string;
    }
  | { type: "model_retry"; attempt: number; delayMs: number; error: string }
  | { type: "mode_change"; mode: string; reason: string }
  | McpServerEvent
  | {
      type: "context_mask";
      turn: number;
      estimatedTokensBefore: number;
      estimatedTokensAfter: number;
      contextWindow: number;
    }
  | {
      type: "tool_call";
      turn: number;
      id: string;
      name: string;
      arguments: string;
      ok: boolean;
      kind?: string;
      result: string;
      durationMs: number;
    }
  /** A call of the reply that was answered "Not run" (finish came first, out of time, past the per-reply cap). */
  | { type: "tool_call_not_run"; turn: number; id: string; name: string; reason: string }
  | { type: "verification"; command: string; passed: boolean; exitCode: number; outputTail: string }
  | { type: "end"; outcome: string; reason: string; turns: number; totalTokens: number; durationMs: number }
  /** A body over GitHub's limit: published cut, recorded here whole. */
  | { type: "published_text"; what: string; chars: number; text: string };

export interface AuditLog {
  write(event: AuditEvent): void;
}

export function openAuditLog(path: string | undefined, secrets: string[]): AuditLog {
  if (!path) return { write: () => {} };
  // Every secret the run knows, in every form core knows (encoded, split), and anything shaped like a credential.
  const redact = createRedactor(secrets.filter(Boolean));
  mkdirSync(dirname(path), { recursive: true });
  return {
    write(event) {
      // Synchronous on purpose: a crash keeps every line written before it, in order.
      appendFileSync(path, `${redact(JSON.stringify({ at: new Date().toISOString(), ...event }))}\n`);
    },
  };
}

export function capForAudit(text: string): string {
  return text.length <= AUDIT_RESULT_MAX_CHARS
    ? text
    : `${text.slice(0, AUDIT_RESULT_MAX_CHARS)}[... ${text.length - AUDIT_RESULT_MAX_CHARS} chars]`;
}

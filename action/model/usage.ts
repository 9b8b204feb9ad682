import type { TokenUsage } from "./types.ts";

/** Rough size of text in tokens when the server does not say (about four characters per token). */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

interface ServerUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/** The server's count when it sent one; otherwise an estimate marked as such. */
export function usageFrom(
  server: ServerUsage | null | undefined,
  requestChars: number,
  replyChars: number,
): TokenUsage {
  if (server && typeof server.prompt_tokens === "number") {
    const completion = server.completion_tokens ?? 0;
    return {
      prompt: server.prompt_tokens,
      completion,
      total: server.total_tokens ?? server.prompt_tokens + completion,
      estimated: false,
    };
  }
  const prompt = estimateTokens(requestChars);
  const completion = estimateTokens(replyChars);
  return { prompt, completion, total: prompt + completion, estimated: true };
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    prompt: a.prompt + b.prompt,
    completion: a.completion + b.completion,
    total: a.total + b.total,
    estimated: a.estimated || b.estimated,
  };
}

export const ZERO_USAGE: TokenUsage = { prompt: 0, completion: 0, total: 0, estimated: false };

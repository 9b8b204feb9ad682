/**
 * What `inhouse doctor` reports about a model server: the context window it will use (and where
 * that number came from), and whether it silently cuts a long prompt, found by sending one: a
 * prompt of a known size with `max_tokens: 1`, compared with the prompt tokens the server reports.
 */
import OpenAI from "openai";
import { type ContextWindowReport, discoverContextWindow } from "./context-window.ts";
import { detectPromptTruncation } from "./prompt-truncation.ts";
import type { ModelSettings } from "./types.ts";
import { estimateTokens } from "./usage.ts";

export interface ModelServerReport {
  contextWindow: ContextWindowReport;
  probe?: {
    estimatedPromptTokens: number;
    reportedPromptTokens?: number;
    truncated: boolean;
    error?: string;
  };
  /** Sentences a person can act on; empty when all is well. */
  advice: string[];
}

/** An 8k-token prompt: over Ollama's default windows, within any window an agent can work in. */
export const PROBE_PROMPT_TOKENS = 8_192;

function filler(tokens: number): string {
  const line = (n: number) => `line ${n}: the quick brown fox jumps over the lazy dog near the river bank\n`;
  let text = "";
  for (let n = 1; estimateTokens(text.length) < tokens; n++) text += line(n);
  return text;
}

async function probeTruncation(
  settings: ModelSettings,
  tokens: number,
): Promise<NonNullable<ModelServerReport["probe"]>> {
  const openai = new OpenAI({
    baseURL: settings.baseUrl,
    apiKey: settings.apiKey || "no-key",
    defaultHeaders: settings.headers,
    timeout: settings.requestTimeoutMs ?? 300_000,
    maxRetries: 1,
  });
  const messages = [
    { role: "user" as const, content: `Reply with OK.\n\n${filler(tokens)}\nReply with OK.` },
  ];
  const estimatedPromptTokens = estimateTokens(
    JSON.stringify({ model: settings.model, max_tokens: 1, messages }).length,
  );
  try {
    const completion = await openai.chat.completions.create({
      model: settings.model,
      max_tokens: 1,
      messages,
    });
    const reported = completion.usage?.prompt_tokens;
    const truncated = detectPromptTruncation(estimatedPromptTokens * 4, reported) !== undefined;
    return { estimatedPromptTokens, reportedPromptTokens: reported, truncated };
  } catch (error) {
    return { estimatedPromptTokens, truncated: false, error: (error as Error).message };
  }
}

export async function inspectModelServer(
  settings: ModelSettings,
  options: { probe?: boolean } = {},
): Promise<ModelServerReport> {
  const contextWindow = settings.contextWindow
    ? { tokens: settings.contextWindow }
    : await discoverContextWindow(settings);
  const advice: string[] = [];
  if (!contextWindow.tokens) {
    advice.push(
      contextWindow.ollama
        ? "Ollama does not report the window it uses unless the model sets num_ctx; set OLLAMA_CONTEXT_LENGTH on the server (or PARAMETER num_ctx in a Modelfile) and contextWindow in the profile to the same number."
        : "The server does not report its context window; set contextWindow in the model profile so old results are masked before the prompt overflows.",
    );
  }
  if (options.probe === false) return { contextWindow, advice };
  const tokens = Math.min(
    PROBE_PROMPT_TOKENS,
    Math.floor((contextWindow.tokens ?? Number.POSITIVE_INFINITY) * 0.8),
  );
  const probe = await probeTruncation(settings, tokens);
  if (probe.truncated) {
    advice.push(
      detectPromptTruncation(probe.estimatedPromptTokens * 4, probe.reportedPromptTokens) ??
        "The server cut the test prompt.",
    );
  }
  if (probe.error)
    advice.push(`The test prompt of about ${probe.estimatedPromptTokens} tokens failed: ${probe.error}`);
  return { contextWindow, probe, advice };
}

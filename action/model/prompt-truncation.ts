/**
 * Notices a server that silently cut the prompt to fit its context window. Ollama does this when
 * a prompt exceeds the model's `num_ctx` (its default is 2048–4096 tokens depending on version
 * and memory: https://docs.ollama.com/context-length), keeping the end of the prompt (so the
 * task and the rules at its start are lost) and reporting only the tokens it kept
 * (https://github.com/ollama/ollama/issues/3427). The model then works without its instructions.
 * The rule: the server's count of prompt tokens far below the prompt's size (characters / 4).
 */
import { estimateTokens } from "./usage.ts";

/** Below this share of the estimate, the reported count means the prompt was cut. */
export const TRUNCATION_RATIO = 0.5;
/** Prompts smaller than this (in estimated tokens) fit every server's default window. */
export const MIN_PROMPT_TOKENS_CHECKED = 2_048;

export class PromptTruncatedError extends Error {}

export function truncationAdvice(reportedTokens: number, estimatedTokens: number): string {
  return (
    `the model server reported ${reportedTokens} prompt tokens for a prompt of about ${estimatedTokens} tokens, so it silently cut the prompt to fit its context window ` +
    "and the model never saw the task. Give the model a larger window: for Ollama set OLLAMA_CONTEXT_LENGTH (e.g. 32768) on the server or PARAMETER num_ctx in a Modelfile; " +
    "for llama.cpp start llama-server with -c 32768 (per slot: divide by --parallel); for vLLM raise --max-model-len. " +
    "Then set contextWindow in the model profile to the same number. `inhouse doctor` reports the window the server uses."
  );
}

/** The advice when `reportedPromptTokens` says the server cut a prompt of `requestChars`; undefined otherwise. */
export function detectPromptTruncation(
  requestChars: number,
  reportedPromptTokens: number | undefined,
): string | undefined {
  if (!reportedPromptTokens || reportedPromptTokens <= 0) return undefined;
  const estimated = estimateTokens(requestChars);
  if (estimated < MIN_PROMPT_TOKENS_CHECKED) return undefined;
  if (reportedPromptTokens >= estimated * TRUNCATION_RATIO) return undefined;
  return truncationAdvice(reportedPromptTokens, estimated);
}

/**
 * Reasoning is kept apart from the reply and never acted on. Servers return it in one of three
 * places, all handled here:
 *  - `message.reasoning` (vLLM ≥ 0.11 with `--reasoning-parser`, https://docs.vllm.ai/en/latest/features/reasoning_outputs/;
 *    Ollama's OpenAI-compatible API for thinking models, https://docs.ollama.com/api/openai-compatibility);
 *  - `message.reasoning_content` (vLLM before 0.11, llama.cpp's `--reasoning-format deepseek`,
 *    https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md; DeepSeek's API);
 *  - `<think>…</think>` left in the content when no reasoning parser runs (DeepSeek-R1, QwQ,
 *    Qwen3). The chat templates of DeepSeek-R1 and Qwen3 thinking models open `<think>` in the prompt,
 *    so the reply may hold only the closing `</think>`: everything before it is reasoning, as in
 *    vLLM's `deepseek_r1` parser. An unclosed `<think>` means the reply ended while still thinking.
 */

export interface SplitReply {
  content: string;
  reasoning: string;
}

const OPEN = "<think>";
const CLOSE = "</think>";

export function splitReasoning(content: string): SplitReply {
  const thoughts: string[] = [];
  let rest = content;
  const firstClose = rest.indexOf(CLOSE);
  const firstOpen = rest.indexOf(OPEN);
  if (firstClose !== -1 && (firstOpen === -1 || firstClose < firstOpen)) {
    thoughts.push(rest.slice(0, firstClose));
    rest = rest.slice(firstClose + CLOSE.length);
  }
  let kept = "";
  for (let open = rest.indexOf(OPEN); open !== -1; open = rest.indexOf(OPEN)) {
    kept += rest.slice(0, open);
    const close = rest.indexOf(CLOSE, open + OPEN.length);
    if (close === -1) {
      thoughts.push(rest.slice(open + OPEN.length));
      rest = "";
      break;
    }
    thoughts.push(rest.slice(open + OPEN.length, close));
    rest = rest.slice(close + CLOSE.length);
  }
  kept += rest;
  return {
    content: kept.trim(),
    reasoning: thoughts
      .map((t) => t.trim())
      .filter(Boolean)
      .join("\n\n"),
  };
}

/** Reasoning from the message fields a server may use, joined with any found in the content. */
export function joinReasoning(...parts: Array<string | null | undefined>): string {
  return parts.filter((part): part is string => typeof part === "string" && part.trim() !== "").join("\n\n");
}

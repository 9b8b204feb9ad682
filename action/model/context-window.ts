/**
 * The context window as the server reports it, so the overflow guard works without configuration:
 *  - vLLM: `GET <base>/models` lists the model with `max_model_len`
 *    (https://github.com/vllm-project/vllm/blob/main/vllm/entrypoints/openai/protocol.py, ModelCard);
 *  - llama.cpp: `GET <root>/props` → `default_generation_settings.n_ctx`, the window of one slot
 *    (https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md);
 *  - Ollama: `POST <root>/api/show` → `num_ctx` in `parameters` when the Modelfile sets it. Without
 *    it Ollama uses its server default (OLLAMA_CONTEXT_LENGTH, else 2048–4096 tokens by version and
 *    memory: https://docs.ollama.com/context-length), which no endpoint reports; `model_info`'s
 *    `<arch>.context_length` is only what the model was trained for, so it is reported, never used.
 * `<root>` is the base URL without its `/v1`. Probes run together, each with a short timeout.
 */
import type { ModelSettings } from "./types.ts";

export type ContextSource = "vllm max_model_len" | "llama.cpp n_ctx" | "ollama num_ctx";

export interface ContextWindowReport {
  /** The window the server will really use, when it says so. */
  tokens?: number;
  source?: ContextSource;
  /** The server looks like Ollama: its window may be smaller than the model's and cut prompts silently. */
  ollama?: { trainedContext?: number };
}

const PROBE_TIMEOUT_MS = 3_000;

async function getJson(url: string, settings: ModelSettings, init: RequestInit = {}): Promise<unknown> {
  try {
    const response = await fetch(url, {
      ...init,
      headers: {
        "content-type": "application/json",
        ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
        ...settings.headers,
      },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return response.ok ? await response.json() : undefined;
  } catch {
    return undefined;
  }
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
}

export async function discoverContextWindow(settings: ModelSettings): Promise<ContextWindowReport> {
  const base = settings.baseUrl.replace(/\/+$/, "");
  const root = serverRoot(base);
  const [models, props, show] = await Promise.all([
    getJson(`${base}/models`, settings),
    getJson(`${root}/props`, settings),
    getJson(`${root}/api/show`, settings, {
      method: "POST",
      body: JSON.stringify({ model: settings.model }),
    }),
  ]);
  const card = (models as { data?: Array<{ id?: string; max_model_len?: unknown }> })?.data?.find(
    (entry) => entry.id === settings.model,
  );
  const vllm = positive(card?.max_model_len);
  if (vllm) return { tokens: vllm, source: "vllm max_model_len" };
  const nCtx = positive(
    (props as { default_generation_settings?: { n_ctx?: unknown } })?.default_generation_settings?.n_ctx,
  );
  if (nCtx) return { tokens: nCtx, source: "llama.cpp n_ctx" };
  if (show && typeof show === "object") {
    const { parameters, model_info: info } = show as {
      parameters?: unknown;
      model_info?: Record<string, unknown>;
    };
    const numCtx =
      typeof parameters === "string" ? /(?:^|\n)num_ctx\s+(\d+)/.exec(parameters)?.[1] : undefined;
    const arch = info?.["general.architecture"];
    const trainedContext = positive(typeof arch === "string" ? info?.[`${arch}.context_length`] : undefined);
    if (numCtx) return { tokens: Number(numCtx), source: "ollama num_ctx", ollama: { trainedContext } };
    return { ollama: { trainedContext } };
  }
  return {};
}

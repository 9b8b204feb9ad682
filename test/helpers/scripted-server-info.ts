/**
 * The endpoints where real servers report their context window, imitated by the scripted server
 * when asked to pose as one of them:
 *  - vLLM: `GET /v1/models` lists each model with `max_model_len` (its ModelCard,
 *    https://github.com/vllm-project/vllm/blob/main/vllm/entrypoints/openai/protocol.py);
 *  - llama.cpp: `GET /props` (at the server root, not under /v1) reports
 *    `default_generation_settings.n_ctx`, the context of one slot
 *    (https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md, "GET /props");
 *  - Ollama: `POST /api/show {"model": …}` returns `model_info["<arch>.context_length"]`, the length the
 *    model was trained for, and `parameters`, the Modelfile's settings such as `num_ctx`, the window
 *    Ollama really uses (https://github.com/ollama/ollama/blob/main/docs/api.md#show-model-information,
 *    https://docs.ollama.com/context-length).
 * A server not posing as one of them answers 404 there, as an OpenAI-only gateway would.
 */

export interface ServerInfoOptions {
  vllm?: { maxModelLen: number };
  llamaCpp?: { nCtx: number };
  ollama?: { architecture: string; trainedContext: number; numCtx?: number };
}

export interface InfoAnswer {
  status: number;
  body: unknown;
}

export function serverInfoAnswer(
  method: string,
  path: string,
  body: string,
  model: string,
  info: ServerInfoOptions,
): InfoAnswer | undefined {
  if (method === "GET" && path === "/v1/models") {
    const card = { id: model, object: "model", owned_by: info.vllm ? "vllm" : "scripted" };
    return {
      status: 200,
      body: { object: "list", data: [info.vllm ? { ...card, max_model_len: info.vllm.maxModelLen } : card] },
    };
  }
  if (method === "GET" && path === "/props" && info.llamaCpp) {
    return {
      status: 200,
      body: { default_generation_settings: { n_ctx: info.llamaCpp.nCtx, params: {} }, total_slots: 1 },
    };
  }
  if (method === "POST" && path === "/api/show" && info.ollama) {
    const asked = JSON.parse(body || "{}") as { model?: string; name?: string };
    if ((asked.model ?? asked.name) !== model)
      return { status: 404, body: { error: `model '${asked.model}' not found` } };
    const { architecture, trainedContext, numCtx } = info.ollama;
    return {
      status: 200,
      body: {
        parameters: numCtx
          ? `num_ctx                        ${numCtx}\nstop                           "<|im_end|>"`
          : 'stop "<|im_end|>"',
        model_info: {
          "general.architecture": architecture,
          [`${architecture}.context_length`]: trainedContext,
        },
        capabilities: ["completion", "tools"],
      },
    };
  }
  return undefined;
}

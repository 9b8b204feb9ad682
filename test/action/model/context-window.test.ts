/** The context window read from the server, and the report `inhouse doctor` prints. */
import { afterEach, describe, expect, it } from "vitest";
import { discoverContextWindow } from "../../../action/model/context-window.ts";
import { inspectModelServer } from "../../../action/model/server-report.ts";
import {
  type ScriptedModelServer,
  type ScriptedServerOptions,
  startScriptedModelServer,
  step,
} from "../../helpers/scripted-model-server.ts";
import type { ServerInfoOptions } from "../../helpers/scripted-server-info.ts";

let server: ScriptedModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function settingsFor(options: ScriptedServerOptions, steps = [step.text("OK")]) {
  server = await startScriptedModelServer(steps, options);
  return { baseUrl: server.baseUrl, apiKey: "", model: server.model };
}

describe("discoverContextWindow", () => {
  const cases: Array<[string, ServerInfoOptions, object]> = [
    [
      "vLLM's max_model_len",
      { vllm: { maxModelLen: 40_960 } },
      { tokens: 40_960, source: "vllm max_model_len" },
    ],
    ["llama.cpp's n_ctx", { llamaCpp: { nCtx: 16_384 } }, { tokens: 16_384, source: "llama.cpp n_ctx" }],
    [
      "Ollama's num_ctx",
      { ollama: { architecture: "llama", trainedContext: 131_072, numCtx: 32_768 } },
      { tokens: 32_768, source: "ollama num_ctx", ollama: { trainedContext: 131_072 } },
    ],
    [
      "nothing from Ollama without num_ctx",
      { ollama: { architecture: "llama", trainedContext: 131_072 } },
      { ollama: { trainedContext: 131_072 } },
    ],
    ["nothing from a plain OpenAI-compatible server", {}, {}],
  ];
  it.each(cases)("reads %s", async (_what, info, expected) => {
    expect(await discoverContextWindow(await settingsFor({ info }))).toEqual(expected);
  });
});

describe("inspectModelServer (for inhouse doctor)", () => {
  it("reports the window and a clean probe for an honest server", async () => {
    const report = await inspectModelServer(await settingsFor({ info: { vllm: { maxModelLen: 32_768 } } }));
    expect(report.contextWindow).toMatchObject({ tokens: 32_768 });
    expect(report.probe).toMatchObject({ truncated: false, reportedPromptTokens: expect.any(Number) });
    expect(report.probe!.estimatedPromptTokens).toBeGreaterThan(8_000);
    expect(report.advice).toEqual([]);
  });

  it("detects a server that silently truncates the probe and advises Ollama's context setting", async () => {
    const settings = await settingsFor({
      truncatePromptTo: 2_048,
      info: { ollama: { architecture: "qwen2", trainedContext: 32_768 } },
    });
    const report = await inspectModelServer(settings);
    expect(report.probe).toMatchObject({ truncated: true, reportedPromptTokens: 2_048 });
    expect(report.advice.join("\n")).toMatch(/OLLAMA_CONTEXT_LENGTH/);
    expect(report.advice.join("\n")).toMatch(/silently cut the prompt/);
  });

  it("can skip the probe", async () => {
    const report = await inspectModelServer(await settingsFor({}, []), { probe: false });
    expect(report.probe).toBeUndefined();
    expect(report.advice[0]).toMatch(/set contextWindow/);
    expect(server!.requests).toHaveLength(0);
  });
});

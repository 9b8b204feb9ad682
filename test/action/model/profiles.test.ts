import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  loadModelProfiles,
  parseModelProfiles,
  resolveModelProfile,
} from "../../../action/model/profiles.ts";

const profilesYaml = `
profiles:
  default:
    baseUrl: http://vllm.internal:8000/v1
    model: qwen2.5-coder-32b
    apiKeyEnv: VLLM_KEY
    contextWindow: 32768
  fast:
    baseUrl: http://ollama.internal:11434/v1
    model: qwen2.5-coder:7b
    toolCalling: text
`;

describe("model profiles", () => {
  it("loads a YAML profiles file and resolves a profile by name with its key from the environment", async () => {
    const dir = await mkdtemp(join(tmpdir(), "profiles-"));
    const path = join(dir, "profiles.yml");
    await writeFile(path, profilesYaml);
    const profiles = await loadModelProfiles(path);
    const settings = resolveModelProfile("default", { profiles, env: { VLLM_KEY: "k-123" } });
    expect(settings).toMatchObject({
      baseUrl: "http://vllm.internal:8000/v1",
      model: "qwen2.5-coder-32b",
      apiKey: "k-123",
      contextWindow: 32768,
      toolCalling: "auto",
    });
    expect(resolveModelProfile("fast", { profiles, env: {} })).toMatchObject({
      toolCalling: "text",
      apiKey: "",
    });
  });

  it("names the available profiles when asked for one that does not exist", () => {
    const profiles = parseModelProfiles(profilesYaml);
    expect(() => resolveModelProfile("large", { profiles, env: { VLLM_KEY: "x" } })).toThrow(
      /'large' is not defined.*available profiles: default, fast/,
    );
  });

  it("lets the environment override the profile and explicit inputs override both", () => {
    const profiles = parseModelProfiles(profilesYaml);
    const env = { VLLM_KEY: "k", INHOUSE_MODEL: "env-model", INHOUSE_MODEL_BASE_URL: "http://env:1/v1" };
    expect(resolveModelProfile("default", { profiles, env })).toMatchObject({
      model: "env-model",
      baseUrl: "http://env:1/v1",
    });
    expect(
      resolveModelProfile("default", { profiles, env, overrides: { model: "flag-model" } }),
    ).toMatchObject({
      model: "flag-model",
    });
  });

  it("builds the default profile from the environment alone when there is no profiles file", () => {
    expect(
      resolveModelProfile("default", {
        env: { INHOUSE_MODEL_BASE_URL: "http://x:1/v1", INHOUSE_MODEL: "m" },
      }),
    ).toMatchObject({
      baseUrl: "http://x:1/v1",
      model: "m",
    });
    expect(() => resolveModelProfile("default", { env: {} })).toThrow(/no base URL.*--base-url/);
  });

  it("rejects a file with unknown keys or a missing key variable, saying what to fix", () => {
    expect(() =>
      parseModelProfiles("profiles:\n  default:\n    baseUrl: http://x/v1\n    model: m\n    apiKey: sk-1\n"),
    ).toThrow(/invalid/);
    const profiles = parseModelProfiles(profilesYaml);
    expect(() => resolveModelProfile("default", { profiles, env: {} })).toThrow(/VLLM_KEY, which is not set/);
  });
});

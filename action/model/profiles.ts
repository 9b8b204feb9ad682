/**
 * Model profiles: runner-side named settings (`default`, `fast`, `large`) so a repository picks a
 * model by name and never sees an endpoint or a key.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ModelPriceSchema } from "../../core/cost.ts";
import { formatErrors } from "../../core/result.ts";
import { loadYamlSafely } from "../../core/safe-yaml.ts";
import { toFieldErrors } from "../../core/zod-errors.ts";
import type { ModelSettings } from "./types.ts";

const profileName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, "expected a name such as default, fast or large");

export const ModelProfileSchema = z.strictObject({
  baseUrl: z.url({ error: "expected the server's OpenAI-compatible base URL, such as http://vllm:8000/v1" }),
  model: z.string().min(1),
  /** Name of the environment variable holding the key; keys do not belong in a file. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
  headers: z.record(z.string(), z.string()).optional(),
  requestTimeoutMs: z.int().min(1_000).max(3_600_000).optional(),
  contextWindow: z.int().min(1_024).optional(),
  toolCalling: z.enum(["native", "text", "auto"]).optional(),
  /** `max_tokens` per reply; the client also stops a reply that runs past it (servers that ignore it). */
  maxTokens: z.int().min(16).optional(),
  /** Streamed replies (on by default; off again by itself where the server cannot stream). */
  stream: z.boolean().optional(),
  /** Send reasoning back on tool-call turns, for models whose documentation requires it (DeepSeek thinking mode). */
  resendReasoning: z.boolean().optional(),
  /** Price per million tokens: turns usage into cost for the cost cap and the run history. */
  price: ModelPriceSchema.optional(),
});

export const ProfilesFileSchema = z.strictObject({ profiles: z.record(profileName, ModelProfileSchema) });

export type ModelProfile = z.infer<typeof ModelProfileSchema>;
export type ModelProfiles = Record<string, ModelProfile>;

export class ModelProfileError extends Error {}

/** Reads a profiles file (YAML or JSON; JSON is YAML) and validates it. */
export async function loadModelProfiles(path: string): Promise<ModelProfiles> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ModelProfileError(
      `cannot read the model profiles file ${path} (${(error as NodeJS.ErrnoException).code ?? error}); check the path given as profiles-file`,
    );
  }
  return parseModelProfiles(text, path);
}

export function parseModelProfiles(text: string, source = "model profiles"): ModelProfiles {
  let raw: unknown;
  try {
    raw = loadYamlSafely(text);
  } catch (error) {
    throw new ModelProfileError(`${source}: ${(error as Error).message}`);
  }
  const parsed = ProfilesFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ModelProfileError(
      `${source} is invalid (expected { profiles: { default: { baseUrl, model } } }):\n${formatErrors(toFieldErrors(parsed.error))}`,
    );
  }
  return parsed.data.profiles;
}

export interface ModelSettingsSources {
  profiles?: ModelProfiles;
  /** Environment read for `INHOUSE_MODEL_*` overrides and `apiKeyEnv`; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Action inputs or CLI flags: the most specific source, so they win. */
  overrides?: Partial<ModelSettings>;
}

const ENV = {
  baseUrl: "INHOUSE_MODEL_BASE_URL",
  model: "INHOUSE_MODEL",
  apiKey: "INHOUSE_MODEL_API_KEY",
  requestTimeoutMs: "INHOUSE_MODEL_TIMEOUT_MS",
  toolCalling: "INHOUSE_MODEL_TOOL_CALLING",
} as const;

function fromEnv(env: Record<string, string | undefined>): Partial<ModelSettings> {
  const out: Partial<ModelSettings> = {};
  if (env[ENV.baseUrl]) out.baseUrl = env[ENV.baseUrl];
  if (env[ENV.model]) out.model = env[ENV.model];
  if (env[ENV.apiKey]) out.apiKey = env[ENV.apiKey];
  if (env[ENV.requestTimeoutMs]) out.requestTimeoutMs = Number(env[ENV.requestTimeoutMs]);
  const mode = env[ENV.toolCalling];
  if (mode === "native" || mode === "text" || mode === "auto") out.toolCalling = mode;
  return out;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The settings for the profile a repository asked for: profile, then `INHOUSE_MODEL_*` environment,
 * then explicit overrides. Without a profiles file only `default` exists, built from env and overrides.
 */
export function resolveModelProfile(name: string, sources: ModelSettingsSources = {}): ModelSettings {
  const env = sources.env ?? process.env;
  const profiles = sources.profiles ?? {};
  const profile = profiles[name];
  if (!profile && !(name === "default" && sources.profiles === undefined)) {
    const available = Object.keys(profiles);
    throw new ModelProfileError(
      `model profile '${name}' is not defined on this runner; available profiles: ${available.length ? available.join(", ") : "(none)"}. ` +
        "Pick one of those in model.profile of .github/agent.yml, or ask the runner's administrator to add it to the profiles file.",
    );
  }
  const fromProfile: Partial<ModelSettings> = profile
    ? defined({
        baseUrl: profile.baseUrl,
        model: profile.model,
        apiKey: profile.apiKeyEnv ? env[profile.apiKeyEnv] : undefined,
        headers: profile.headers,
        requestTimeoutMs: profile.requestTimeoutMs,
        contextWindow: profile.contextWindow,
        toolCalling: profile.toolCalling,
        maxTokens: profile.maxTokens,
        stream: profile.stream,
        resendReasoning: profile.resendReasoning,
        price: profile.price,
      })
    : {};
  const merged = { ...fromProfile, ...fromEnv(env), ...defined(sources.overrides ?? {}) };
  if (!merged.baseUrl) {
    throw new ModelProfileError(
      `model profile '${name}' has no base URL; set baseUrl in the profiles file, ${ENV.baseUrl}, or --base-url`,
    );
  }
  if (!merged.model) {
    throw new ModelProfileError(
      `model profile '${name}' names no model; set model in the profiles file, ${ENV.model}, or --model`,
    );
  }
  if (profile?.apiKeyEnv && !merged.apiKey) {
    throw new ModelProfileError(
      `model profile '${name}' reads its key from ${profile.apiKeyEnv}, which is not set`,
    );
  }
  return {
    baseUrl: merged.baseUrl,
    model: merged.model,
    // Local servers (vLLM, Ollama, llama.cpp) usually take no key; the client still needs a string.
    apiKey: merged.apiKey ?? "",
    headers: merged.headers,
    requestTimeoutMs: merged.requestTimeoutMs ?? 300_000,
    contextWindow: merged.contextWindow,
    toolCalling: merged.toolCalling ?? "auto",
    ...(merged.maxTokens ? { maxTokens: merged.maxTokens } : {}),
    ...(merged.stream !== undefined ? { stream: merged.stream } : {}),
    ...(merged.resendReasoning !== undefined ? { resendReasoning: merged.resendReasoning } : {}),
    ...(merged.price ? { price: merged.price } : {}),
  };
}

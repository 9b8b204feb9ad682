/**
 * Checks that fail fast, before anything is created: the model endpoint answers and Docker runs
 * with the sandbox image built. Each failure names the fix.
 */

import type { ModelSettings } from "../model/types.ts";
import { connectDocker, ensureImagePresent } from "../sandbox/engine/docker-connection.ts";

export class PreflightError extends Error {}

/** fetch hides the socket error (ECONNREFUSED, ENOTFOUND) one or two causes deep. */
function connectionFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; errors?: Array<{ code?: string }> } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? (error as Error).message;
}

const MODEL_CHECK_TIMEOUT_MS = 5_000;

/** GET <baseUrl>/models: every OpenAI-compatible server has it, and it costs no tokens. */
export async function checkModelEndpoint(settings: ModelSettings): Promise<void> {
  const url = `${settings.baseUrl.replace(/\/+$/, "")}/models`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
        ...settings.headers,
      },
      signal: AbortSignal.timeout(MODEL_CHECK_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = connectionFailure(error);
    throw new PreflightError(
      `no model endpoint answers at ${settings.baseUrl} (${cause}). Start your OpenAI-compatible server (vLLM, Ollama, llama.cpp, LiteLLM) ` +
        "or point --base-url (or INHOUSE_MODEL_BASE_URL, or the profile's baseUrl) at one, e.g. --base-url http://localhost:11434/v1",
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new PreflightError(
      `the model endpoint ${settings.baseUrl} refused the API key (${response.status}); pass --api-key or set INHOUSE_MODEL_API_KEY`,
    );
  }
  if (response.status === 404) {
    throw new PreflightError(
      `${url} does not exist (404); --base-url should be the OpenAI-compatible root, usually ending in /v1`,
    );
  }
}

export async function checkDocker(image: string): Promise<void> {
  try {
    const docker = await connectDocker();
    await ensureImagePresent(docker, image);
  } catch (error) {
    throw new PreflightError((error as Error).message);
  }
}

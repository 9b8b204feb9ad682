/** Classifies what the `openai` client throws: what may be retried and what advice a failure carries. */
import { APIConnectionError, APIError, APIUserAbortError } from "openai";
import { parseRetryAfter } from "../retry.ts";

/** The model endpoint failed in a way retrying will not fix; the message names the fix. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function isRetryableModelError(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  // Connection resets and timeouts (APIConnectionTimeoutError extends APIConnectionError).
  if (error instanceof APIConnectionError) return true;
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    return status === 408 || status === 409 || status === 429 || status >= 500;
  }
  return false;
}

export function modelRetryAfterMs(error: unknown): number | undefined {
  return error instanceof APIError ? parseRetryAfter(error.headers) : undefined;
}

export function isToolsRejected(error: unknown): boolean {
  return error instanceof APIError && (error.status === 400 || error.status === 422);
}

/** Rewords a final failure so the person running the agent knows what to change. */
export function explainModelError(error: unknown, baseUrl: string, model: string, attempts: number): Error {
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionError) {
    const what =
      error.constructor.name === "APIConnectionTimeoutError" ? "timed out" : "could not be reached";
    return new ModelError(
      `the model endpoint ${baseUrl} ${what} (${attempts} attempt${attempts === 1 ? "" : "s"}); check that the server is running and that the profile's baseUrl (or --base-url) points at it, or raise requestTimeoutMs`,
    );
  }
  if (error instanceof APIError) {
    const status = error.status;
    const advice =
      status === 401 || status === 403
        ? "check the API key (the profile's apiKeyEnv, INHOUSE_MODEL_API_KEY or --api-key)"
        : status === 404
          ? `check the model name '${model}' and that the base URL ends in /v1`
          : status === 429 || (status ?? 0) >= 500
            ? `the server kept failing after ${attempts} attempts; check its logs and capacity`
            : "check the request the server rejected in the audit log";
    return new ModelError(
      `the model endpoint ${baseUrl} answered ${status}: ${error.message}; ${advice}`,
      status,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

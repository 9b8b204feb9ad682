/** Classifies what a model call throws: what may be retried and what advice a failure carries. */
import { APIConnectionError, APIError, APIUserAbortError } from "openai";
import { parseRetryAfter } from "../../core/retry.ts";
import { StreamCutError, StreamIdleError } from "./stream-errors.ts";
import { ModelBodyError } from "./wire-reply.ts";

/** The model endpoint failed in a way retrying will not fix; the message names the fix. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

function retryableCode(code: number | undefined): boolean {
  return code === undefined || code === 408 || code === 409 || code === 429 || code >= 500;
}

/** The code of an error a server put inside a 200 answer: a JSON body, or a stream event the client raised. */
function inBodyCode(error: unknown): { inBody: boolean; code?: number } {
  if (error instanceof ModelBodyError) return { inBody: true, code: error.code };
  const transportError = error instanceof APIConnectionError || error instanceof APIUserAbortError;
  if (error instanceof APIError && error.status === undefined && !transportError) {
    const code = Number((error.error as { code?: unknown } | undefined)?.code);
    return { inBody: true, code: Number.isFinite(code) ? code : undefined };
  }
  return { inBody: false };
}

export function isRetryableModelError(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof StreamCutError || error instanceof StreamIdleError) return true;
  const body = inBodyCode(error);
  if (body.inBody) return retryableCode(body.code);
  // Connection resets and timeouts (APIConnectionTimeoutError extends APIConnectionError).
  if (error instanceof APIConnectionError) return true;
  if (error instanceof APIError) return retryableCode(error.status ?? 0);
  return false;
}

export function modelRetryAfterMs(error: unknown): number | undefined {
  return error instanceof APIError ? parseRetryAfter(error.headers) : undefined;
}

/** A 400/422 to a request: the server refused something in it (tools, streaming, a field). */
export function isRequestRejected(error: unknown): boolean {
  return error instanceof APIError && (error.status === 400 || error.status === 422);
}

function plural(n: number): string {
  return `${n} attempt${n === 1 ? "" : "s"}`;
}

/** Rewords a final failure so the person running the agent knows what to change. */
export function explainModelError(error: unknown, baseUrl: string, model: string, attempts: number): Error {
  if (error instanceof APIUserAbortError || error instanceof ModelError) return error;
  if (error instanceof StreamCutError || error instanceof StreamIdleError) {
    return new ModelError(
      `the model endpoint ${baseUrl}: ${error.message} (${plural(attempts)}); check the server's logs, and any proxy or gateway in front of it that may cut long responses, or raise requestTimeoutMs`,
    );
  }
  const body = inBodyCode(error);
  if (body.inBody) {
    return new ModelError(
      `the model endpoint ${baseUrl} answered 200 but reported an error in the body${body.code ? ` (code ${body.code})` : ""}: ${(error as Error).message} (${plural(attempts)}); check the server's or gateway's logs`,
      body.code,
    );
  }
  if (error instanceof APIConnectionError) {
    const what =
      error.constructor.name === "APIConnectionTimeoutError" ? "timed out" : "could not be reached";
    return new ModelError(
      `the model endpoint ${baseUrl} ${what} (${plural(attempts)}); check that the server is running and that the profile's baseUrl (or --base-url) points at it, or raise requestTimeoutMs`,
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

/** The HTTP status of an Octokit RequestError, or undefined for anything else. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** GitHub's own error message from a RequestError's response body, when there is one. */
export function githubMessage(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  const message = (data as { message?: unknown } | undefined)?.message;
  if (typeof message === "string") return message;
  return error instanceof Error ? error.message : String(error);
}

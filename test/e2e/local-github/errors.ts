/** An answer GitHub gives instead of the route's success shape (404, 422, ...), thrown by handlers. */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "GitHubError";
  }
}

export const notFound = (what = "Not Found"): GitHubError => new GitHubError(404, what);

export const validationFailed = (message: string): GitHubError =>
  new GitHubError(422, "Validation Failed", [{ message, code: "custom" }]);

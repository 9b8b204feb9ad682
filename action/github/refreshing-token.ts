/** Ask for a new token when the current one has less than this left (tokens live one hour). */
export const REFRESH_BEFORE_EXPIRY_MS = 10 * 60_000;

export interface TaskTokenSource {
  /** A token with at least REFRESH_BEFORE_EXPIRY_MS left, obtained again when needed. */
  current(): Promise<string>;
}

/**
 * A task token kept until it nears its expiry and then obtained again; callers asking at the same
 * moment share one request. Subclasses say how a token is obtained (the App's exchange, the
 * App's key on the runner host) and hand it to `onToken` before returning it.
 */
export abstract class RefreshingToken implements TaskTokenSource {
  private token?: string;
  private expiresAt = 0;
  private pending?: Promise<string>;

  protected constructor(private readonly now: () => number = Date.now) {}

  current(): Promise<string> {
    if (this.token && this.expiresAt - this.now() > REFRESH_BEFORE_EXPIRY_MS)
      return Promise.resolve(this.token);
    this.pending ??= this.obtain()
      .then(({ token, expiresAt }) => {
        this.token = token;
        this.expiresAt = Date.parse(expiresAt);
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** A new token and when it expires (GitHub's `expires_at`, an ISO time). */
  protected abstract obtain(): Promise<{ token: string; expiresAt: string }>;
}

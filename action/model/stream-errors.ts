/** Ways a streamed reply fails that a retry can fix. */

/** The stream stopped before the server said the reply was complete (no `finish_reason`). */
export class StreamCutError extends Error {
  constructor(detail: string) {
    super(`the reply stream ${detail} before the server said the reply was complete (connection cut)`);
  }
}

/** No byte arrived for too long inside a stream: the connection is treated as dead. */
export class StreamIdleError extends Error {
  constructor(ms: number) {
    super(`the reply stream sent nothing for ${Math.round(ms / 1000)} s`);
  }
}

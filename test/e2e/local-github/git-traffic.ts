import type { ServerResponse } from "node:http";

/** One smart-HTTP request as the local GitHub saw it. */
export interface GitRequestRecord {
  method: string;
  /** Path and query, e.g. `/acme/widgets.git/info/refs?service=git-upload-pack`. */
  path: string;
  /** The `Authorization` header as sent (tests check how the token travelled). */
  authorization: string | undefined;
  status: number;
}

/**
 * What went over git's smart HTTP, for tests and benches of a git client: every request with its
 * Authorization header, the bytes answered (the honest "bytes moved" of a clone), injected failures,
 * and an optional link speed. GitHub's git endpoint answers 5xx at times like its API does
 * ("Troubleshooting the REST API", "Timeouts":
 * https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api); a client retries.
 */
export class GitTraffic {
  readonly requests: GitRequestRecord[] = [];
  /** Response body bytes sent since the last `reset()`. */
  bytesSent = 0;
  /** Caps the answer rate (bytes per second) to model a real link; 0 means loopback speed. */
  bytesPerSecond = 0;
  /** Requests answered with an injected failure. */
  failures = 0;
  private readonly faults: { left: number; status: number; match: RegExp }[] = [];

  /** The next `count` git requests whose path and query match answer `status` without reaching git. */
  fail(count: number, status: number, match: RegExp): void {
    this.faults.push({ left: count, status, match });
  }

  reset(): void {
    this.bytesSent = 0;
    this.requests.length = 0;
  }

  /** Answers the request with an armed fault, if one matches; true when it did. */
  answeredByFault(path: string, response: ServerResponse): boolean {
    const fault = this.faults.find((f) => f.left > 0 && f.match.test(path));
    if (!fault) return false;
    fault.left--;
    this.failures++;
    response.writeHead(fault.status, { "content-type": "text/plain" }).end("injected failure\n");
    return true;
  }

  /** Sends a git answer's body, paced to `bytesPerSecond` when set. */
  async send(response: ServerResponse, body: Buffer): Promise<void> {
    this.bytesSent += body.length;
    if (this.bytesPerSecond <= 0) {
      response.end(body);
      return;
    }
    const started = performance.now();
    const chunk = 64 * 1024;
    for (let offset = 0; offset < body.length; offset += chunk) {
      const due = started + ((offset + chunk) / this.bytesPerSecond) * 1000;
      response.write(body.subarray(offset, offset + chunk));
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    response.end();
  }
}

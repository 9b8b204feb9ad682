import type { IncomingMessage } from "node:http";
import { secondaryLimitAnswer } from "./rate-limits.ts";
import type { Answer } from "./router.ts";

/**
 * Faults injected per route, for tests of what a client does when GitHub misbehaves. `when:
 * "before"` answers without doing the work (GitHub down); `when: "after"` does the work and then
 * answers the error, as when GitHub's frontend times out (502/504) after the backend wrote: the
 * case where a blind retry of a POST duplicates a comment, pull request or review. GitHub documents
 * that 5xx answers happen and may be retried ("Troubleshooting the REST API", "Timeouts": "the API
 * ... may return a 5xx", https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api).
 */
export type Fault = {
  /** `METHOD /path/{template}` as in Octokit's route list, e.g. `POST /repos/{owner}/{repo}/pulls`. */
  route: string;
  when: "before" | "after";
  /** How many matching requests get the fault (default 1). */
  times?: number;
} & (
  | {
      status: number;
      /** GitHub's text for the error, e.g. "Validation Failed" for a 422 (default: a generic one). */
      message?: string;
    }
  /**
   * GitHub's secondary rate limit, answered 403 or 429 ("If you exceed a secondary rate limit, you
   * will receive a 403 or 429 response and an error message that indicates that you exceeded a
   * secondary rate limit. If the retry-after response header is present, you should not retry your
   * request until after that many seconds has elapsed", "Rate limits for the REST API").
   */
  | { secondaryLimit: { status: 403 | 429; retryAfterSeconds: number } }
  /**
   * GitHub not answering: the connection stays open and nothing is sent until the client gives up
   * ("Troubleshooting the REST API": requests that take longer than 10 seconds to process are
   * terminated, but a proxy or a network fault between can hold a connection with no answer).
   */
  | { hang: true }
  /**
   * Not an error: another client's change lands at this point of the request, e.g. the runner
   * writing a task's result between the App's read of a comment and its edit. With `when: "after"`
   * GitHub did this request's work and answers it as it was; the change is in place before the
   * client's next request. GitHub holds no lock across requests and its comment edits take no
   * precondition ("Update an issue comment" has no `If-Match`,
   * https://docs.github.com/en/rest/issues/comments#update-an-issue-comment), so any write may land
   * between a client's two requests.
   */
  | { meanwhile: () => void | Promise<void> }
);

/** What was injected, as the tests read it back. */
export interface FiredFault {
  route: string;
  when: Fault["when"];
  status: number | "hang" | "meanwhile";
}

export class Faults {
  private readonly armed: Array<Fault & { left: number }> = [];
  /** Requests that were answered with an injected fault: route, when, status. */
  readonly fired: FiredFault[] = [];

  /** Disarms every fault not yet fired (a scenario that failed early must not leave its faults to the next). */
  clear(): void {
    this.armed.length = 0;
  }

  inject(fault: Fault): void {
    this.armed.push({ ...fault, left: fault.times ?? 1 });
  }

  /** The fault to answer with at this point of the request, consuming one of its times. */
  async take(route: string, when: Fault["when"], request: IncomingMessage): Promise<Answer | undefined> {
    const fault = this.armed.find((f) => f.route === route && f.when === when && f.left > 0);
    if (!fault) return undefined;
    fault.left -= 1;
    if ("hang" in fault) {
      this.fired.push({ route, when, status: "hang" });
      // Nothing is sent; the handler ends when the client closes the connection.
      await new Promise<void>((resolve) => {
        if (request.socket.destroyed) resolve();
        else request.socket.once("close", () => resolve());
      });
      return { status: 504, body: { message: "the client closed the connection of a hung request" } };
    }
    if ("meanwhile" in fault) {
      this.fired.push({ route, when, status: "meanwhile" });
      await fault.meanwhile();
      return undefined;
    }
    if ("secondaryLimit" in fault) {
      const { status, retryAfterSeconds } = fault.secondaryLimit;
      this.fired.push({ route, when, status });
      return secondaryLimitAnswer(status, retryAfterSeconds);
    }
    this.fired.push({ route, when, status: fault.status });
    return {
      status: fault.status,
      body: { message: fault.message ?? (fault.status >= 500 ? "Server Error" : "Injected fault") },
    };
  }
}

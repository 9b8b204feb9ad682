import type { Answer } from "./router.ts";

/**
 * Faults injected per route, for tests of what a client does when GitHub misbehaves. `when:
 * "before"` answers without doing the work (GitHub down); `when: "after"` does the work and then
 * answers the error, as when GitHub's frontend times out (502/504) after the backend wrote: the
 * case where a blind retry of a POST duplicates a comment, pull request or review. GitHub documents
 * that 5xx answers happen and may be retried ("Troubleshooting the REST API", "Timeouts": "the API
 * ... may return a 5xx", https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api).
 */
export interface Fault {
  /** `METHOD /path/{template}` as in Octokit's route list, e.g. `POST /repos/{owner}/{repo}/pulls`. */
  route: string;
  status: number;
  when: "before" | "after";
  /** How many matching requests get the fault (default 1). */
  times?: number;
}

export class Faults {
  private readonly armed: Array<Fault & { left: number }> = [];
  /** Requests that were answered with an injected fault: route, when, status. */
  readonly fired: Fault[] = [];

  inject(fault: Fault): void {
    this.armed.push({ ...fault, left: fault.times ?? 1 });
  }

  /** The fault to answer with at this point of the request, consuming one of its times. */
  take(route: string, when: Fault["when"]): Answer | undefined {
    const fault = this.armed.find((f) => f.route === route && f.when === when && f.left > 0);
    if (!fault) return undefined;
    fault.left -= 1;
    this.fired.push({ route, when, status: fault.status });
    return {
      status: fault.status,
      body: { message: fault.status >= 500 ? "Server Error" : "Injected fault" },
    };
  }
}

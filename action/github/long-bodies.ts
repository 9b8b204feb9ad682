import { fitGitHubBody, GITHUB_BODY_MAX_CHARS } from "../../core/github-body.ts";

export interface CutText {
  /** What it was: "pull request body", "review", "status comment"… */
  what: string;
  chars: number;
  /** The whole text, as it would have been published (already redacted). */
  text: string;
}

/**
 * Fits every body the action publishes to GitHub's limit and keeps the whole of each text it cut,
 * so the job summary and the audit log can carry what the PR, review or comment could not.
 */
export class LongBodies {
  private readonly cutTexts = new Map<string, CutText>();

  constructor(private readonly runUrl: string) {}

  /** `text` itself, or its start and a notice saying where the rest is. */
  readonly fit = (what: string, text: string, limit = GITHUB_BODY_MAX_CHARS): string => {
    const notice = `> [!NOTE]\n> This ${what} was cut to fit GitHub's limit of ${GITHUB_BODY_MAX_CHARS.toLocaleString("en-US")} characters. The whole text is in the job summary and the audit log of [the workflow run](${this.runUrl}).`;
    const fitted = fitGitHubBody(text, notice, limit);
    if (fitted.cutFrom !== undefined) this.cutTexts.set(what, { what, chars: fitted.cutFrom, text });
    return fitted.body;
  };

  get cut(): CutText[] {
    return [...this.cutTexts.values()];
  }
}

import { createRedactor, type Redactor } from "../../../core/redact.ts";
import { neutraliseMarkers } from "../../../core/status-marker.ts";
import { gitAuth } from "../../workspace/auth-header.ts";

/**
 * What every text the run writes out passes through: the run's secrets and credential shapes
 * removed, and anything that reads as one of the App's hidden markers made inert, since the model
 * wrote much of it (issue #13, items 2 and 4).
 */
function outgoingText(redactor: Redactor): Redactor {
  return (text) => neutraliseMarkers(redactor(text));
}

/**
 * Every token this run holds is masked in the job log and redacted from what it writes the moment
 * it exists, refreshed ones too; the model's key joins them once the profile is known.
 */
export class RunSecrets {
  /** The run's tokens and their git header forms (what the audit log's cut texts are redacted of). */
  readonly tokens: string[] = [];
  private modelKey = "";
  redact: Redactor = outgoingText(createRedactor([]));

  constructor(
    private readonly mask: (secret: string) => void,
    private readonly serverUrl: string,
  ) {}

  addToken(token: string): void {
    if (this.tokens.includes(token)) return;
    for (const secret of [token, ...gitAuth(token, this.serverUrl).secrets]) {
      this.mask(secret);
      this.tokens.push(secret);
    }
    this.rebuild();
  }

  setModelKey(key: string): void {
    this.modelKey = key;
    this.rebuild();
  }

  private rebuild(): void {
    this.redact = outgoingText(
      createRedactor(this.modelKey ? [...this.tokens, this.modelKey] : [...this.tokens]),
    );
  }
}

import { REDACTED } from "../../core/redact.ts";
import { showPath } from "./path-safety.ts";
import { blobBytes, type StagedFile } from "./staged-change.ts";

function count(text: string, what: string): number {
  return text.split(what).length - 1;
}

/**
 * How many secrets the redactor finds in a blob. Bytes are read as latin1, one character per
 * byte, so a secret inside a binary file or in UTF-16 (its NULs are invisible to the redactor's
 * view) is found as well as one in text.
 */
function secretsIn(bytes: Buffer, redact: (text: string) => string): number {
  const text = bytes.toString("latin1");
  return count(redact(text), REDACTED) - count(text, REDACTED);
}

/**
 * Invariant 6 for commits, on the real contents: every added or changed file's new blob (text or
 * binary, whole, so a secret split over lines or hidden in a binary patch is seen) goes through
 * the run's redactor. A file counts when it holds more secrets than it did before the change, so a
 * test fixture with a fake key already in it does not block an edit of that file. The reason names
 * the files, never the secret.
 */
export async function secretsInChange(
  dir: string,
  files: readonly StagedFile[],
  redact: (text: string) => string,
): Promise<string | undefined> {
  const hits: string[] = [];
  for (const file of files) {
    if (file.status === "D" || file.newMode === "160000") continue; // a submodule is refused by the policy
    const after = secretsIn(await blobBytes(dir, file.newBlob), redact);
    if (after === 0) continue;
    const before =
      file.status === "A" || file.oldMode === "160000"
        ? 0
        : secretsIn(await blobBytes(dir, file.oldBlob), redact);
    if (after > before) hits.push(showPath(file.path ?? file.rawPath.toString("latin1")));
  }
  if (hits.length === 0) return undefined;
  return `the change adds what looks like a credential (in ${hits.join(", ")}); nothing with a secret is published. Remove it, or make the change by hand`;
}

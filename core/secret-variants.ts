import { normaliseForView } from "./secret-view.ts";

/**
 * The forms a known secret takes in output: as typed, line by line, reversed, JSON-escaped, as
 * hex, and inside base64. Base64 is how a token leaks through `Authorization: Basic`,
 * `http.extraheader` or a `user:token` credential: the secret sits at an unknown byte offset, so
 * it is encoded at each of the three alignments and only the characters that depend on the secret
 * alone are kept; those appear whatever bytes surround it. Percent-encoding, HTML references,
 * invisible characters, line breaks and letter case are undone on the text side (secret-view.ts),
 * so each form is returned as it reads there.
 */

/** Shorter strings match ordinary text too often; redacting them would garble output, not protect it. */
export const MIN_SECRET_LENGTH = 6;

function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  return [0, 1, 2].flatMap((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    // Character i carries bits 6i..6i+5; keep those made only of the secret's bits.
    const core = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    return [core, core.replace(/\+/g, "-").replace(/\//g, "_")];
  });
}

function reversed(text: string): string {
  return [...text].reverse().join("");
}

/** Every form of one secret worth redacting, as a secret view reads it, longest first; empty when the secret is too short. */
export function secretVariants(secret: string): string[] {
  const forms = [secret.trim(), ...secret.split(/\r?\n/).map((line) => line.trim())].filter(
    (form) => form.length >= MIN_SECRET_LENGTH,
  );
  const variants = forms.flatMap((form) => [
    form,
    reversed(form),
    JSON.stringify(form).slice(1, -1),
    Buffer.from(form, "utf8").toString("hex"),
    ...base64Cores(form),
  ]);
  if (secret.trim().includes("\n")) variants.push(JSON.stringify(secret.trim()).slice(1, -1));
  return [...new Set(variants.map(normaliseForView))]
    .filter((variant) => variant.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
}

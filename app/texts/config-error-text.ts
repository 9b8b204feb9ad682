import { CONFIG_PATH } from "../../core/config.ts";
import { type FieldError, formatErrors } from "../../core/result.ts";

export function configErrorText(errors: FieldError[], ref: string): string {
  return [
    `⚠️ \`${CONFIG_PATH}\` on \`${ref}\` is invalid, so the agent did not start:`,
    "",
    "```",
    formatErrors(errors),
    "```",
    "",
    "Fix the file on the default branch and try again.",
  ].join("\n");
}

import * as yaml from "js-yaml";
import { helpText } from "../../core/commands.ts";
import { CONFIG_PATH, type RepoConfig } from "../../core/config.ts";

/** `/agent help`: the commands, then the configuration this repository actually runs with. */
export function renderHelp(config: RepoConfig, found: boolean, unknown?: string): string {
  const prefix = config.trigger.command;
  return [
    ...(unknown ? [`Unknown command \`${unknown}\`.`, ""] : []),
    `Label an issue \`${config.trigger.label}\` or comment:`,
    "",
    helpText(prefix),
    "",
    `Commands that change code need \`${config.permissions.minimum}\` permission or higher.`,
    "",
    "<details><summary>Effective configuration" +
      (found ? ` (from \`${CONFIG_PATH}\`)` : ` (defaults: no \`${CONFIG_PATH}\`)`) +
      "</summary>",
    "",
    "```yaml",
    yaml.dump(config, { lineWidth: 100 }).trimEnd(),
    "```",
    "",
    "</details>",
  ].join("\n");
}

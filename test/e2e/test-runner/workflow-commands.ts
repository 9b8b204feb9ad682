/** What a step said through `::command::` lines on stdout (the ones a test cares about). */
export interface WorkflowCommands {
  masks: string[];
  errors: string[];
  warnings: string[];
}

/** Reads `::add-mask::`, `::error ...::` and `::warning ...::` lines, unescaping `%0A`, `%0D`, `%25`. */
export function parseWorkflowCommands(stdout: string): WorkflowCommands {
  const commands: WorkflowCommands = { masks: [], errors: [], warnings: [] };
  const unescapeValue = (value: string) =>
    value.replaceAll("%0D", "\r").replaceAll("%0A", "\n").replaceAll("%25", "%");
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([\w-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!match) continue;
    const [, command, value] = match as unknown as [string, string, string];
    if (command === "add-mask") commands.masks.push(unescapeValue(value));
    else if (command === "error") commands.errors.push(unescapeValue(value));
    else if (command === "warning") commands.warnings.push(unescapeValue(value));
  }
  return commands;
}

/** The log as the runner would show it: every masked value replaced by `***`. */
export function maskLog(log: string, masks: string[]): string {
  return masks.filter((mask) => mask.length > 0).reduce((text, mask) => text.split(mask).join("***"), log);
}

/**
 * Names the model sees for MCP tools: `<server>__<tool>`, in the characters and length function
 * names allow (OpenAI: `^[a-zA-Z0-9_-]{1,64}$`). Server names have no underscore and built-in tools
 * no double underscore, so an MCP tool can never take a built-in's name; two tools that clean to
 * the same name get a numbered suffix.
 */
const MAX_NAME = 64;

export function mcpToolName(server: string, tool: string, taken: Set<string>): string {
  const base = `${server}__${tool.replace(/[^A-Za-z0-9_-]/g, "_")}`.slice(0, MAX_NAME);
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, MAX_NAME - String(n).length - 1)}_${n}`;
  taken.add(name);
  return name;
}

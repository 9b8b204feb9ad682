/**
 * What counts as a call once a candidate has been parsed as JSON: an object with a string `name`
 * and its arguments under `arguments` (Hermes, OpenAI) or `parameters` (Llama 3.x), or a list of
 * such objects. Candidates found without an explicit call marker (any fenced block, bare JSON in
 * prose) must also name one of the offered tools and carry nothing else, so that prose quoting a
 * JSON object such as `{"name": "left-pad", "version": "1.3.0"}` is never taken for a call.
 */

export interface TextCall {
  name: string;
  /** JSON text of the arguments object. */
  arguments: string;
}

export type ShapeResult = { ok: true; calls: TextCall[] } | { ok: false; reason: string };

const CALL_KEYS = new Set(["name", "arguments", "parameters", "id", "type"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function argumentsText(value: unknown): string | undefined {
  if (value === undefined) return "{}";
  if (typeof value === "string") return value;
  return isObject(value) ? JSON.stringify(value) : undefined;
}

function oneCall(value: unknown, marked: boolean, toolNames: ReadonlySet<string>): TextCall | string {
  if (!isObject(value) || typeof value.name !== "string") return 'a call is an object with a "name"';
  if (!marked) {
    if (!toolNames.has(value.name)) return `"${value.name}" is not one of the tools`;
    if (Object.keys(value).some((key) => !CALL_KEYS.has(key))) return "it has keys a call does not have";
    if (value.arguments === undefined && value.parameters === undefined) return "it has no arguments";
  }
  const args = argumentsText(value.arguments ?? value.parameters);
  if (args === undefined) return `the arguments of ${value.name} are not an object`;
  return { name: value.name, arguments: args };
}

/**
 * The calls in a parsed JSON value. `marked` says the text carried an explicit call marker, so a
 * wrong shape is the model's mistake to be told about rather than prose to be ignored.
 */
export function callsFromJson(value: unknown, marked: boolean, toolNames: ReadonlySet<string>): ShapeResult {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return { ok: false, reason: "the list of calls is empty" };
  const calls: TextCall[] = [];
  for (const item of items) {
    const call = oneCall(item, marked, toolNames);
    if (typeof call === "string") return { ok: false, reason: call };
    calls.push(call);
  }
  return { ok: true, calls };
}

/** JSON.parse that answers undefined instead of throwing, with the parser's message kept. */
export function tryParseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

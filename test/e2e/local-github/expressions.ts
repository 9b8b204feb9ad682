/**
 * Just enough of the Actions expression language to render a workflow's `run-name` and
 * `concurrency.group` the way GitHub does: `${{ ... }}` holding `format('...{0}...', args)`,
 * `inputs.x`, `fromJSON(inputs.x).a.b`, `a || b`, `a && b`, `a == b`, `a != b` and string or number
 * literals. Anything else is an error that names the expression, so a test never silently gets a
 * value GitHub would not produce. Operators as documented (lowest first: `||`, `&&`, `==`/`!=`;
 * "GitHub ignores case when comparing strings"):
 * https://docs.github.com/actions/reference/workflows-and-actions/expressions#operators
 */
export type ExpressionContext = {
  inputs: Record<string, string>;
  /** The `github` context: `github.event_name`, `github.event.schedule`, `github.repository`, … */
  github?: Record<string, unknown>;
};

/** Splits on `separator` where it stands outside quotes and parentheses. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "'") quoted = !quoted;
    if (!quoted && char === "(") depth++;
    if (!quoted && char === ")") depth--;
    if (!quoted && depth === 0 && text.startsWith(separator, i)) {
      parts.push(current.trim());
      current = "";
      i += separator.length - 1;
    } else {
      current += char;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string"
    ? value
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value);
}

function evaluate(expression: string, context: ExpressionContext): unknown {
  const text = expression.trim();
  const alternatives = splitTopLevel(text, "||");
  if (alternatives.length > 1) {
    // `a || b`: the first truthy value, else the last, as in Actions expressions.
    const values = alternatives.map((part) => evaluate(part, context));
    return values.find((value) => Boolean(value)) ?? values.at(-1);
  }
  const conjuncts = splitTopLevel(text, "&&");
  if (conjuncts.length > 1) {
    // `a && b`: the first falsy value, else the last.
    const values = conjuncts.map((part) => evaluate(part, context));
    return values.find((value) => !value) ?? values.at(-1);
  }
  for (const operator of ["!=", "=="] as const) {
    const sides = splitTopLevel(text, operator);
    if (sides.length === 2) {
      const [left, right] = sides.map((side) => evaluate(side, context));
      const equal =
        typeof left === "string" && typeof right === "string"
          ? left.toLowerCase() === right.toLowerCase()
          : left === right;
      return operator === "==" ? equal : !equal;
    }
  }
  const literal = /^'((?:[^']|'')*)'$/.exec(text);
  if (literal) return literal[1]!.replaceAll("''", "'");
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const call = /^(\w+)\(([\s\S]*)\)((?:\.\w+)*)$/.exec(text);
  if (call) {
    const [, name, argText, properties] = call as unknown as [string, string, string, string];
    const args = splitTopLevel(argText, ",").map((arg) => evaluate(arg, context));
    let value: unknown;
    if (name.toLowerCase() === "format") {
      const [template, ...rest] = args;
      value = stringify(template).replace(/\{(\d+)\}/g, (_, index: string) => stringify(rest[Number(index)]));
    } else if (name.toLowerCase() === "fromjson") {
      value = JSON.parse(stringify(args[0]));
    } else if (name.toLowerCase() === "tojson") {
      // GitHub pretty-prints with two spaces; for a string that is the same JSON string literal.
      value = JSON.stringify(args[0] ?? null, null, 2);
    } else {
      throw new Error(`run-name uses ${name}(), which the local GitHub does not evaluate`);
    }
    return properties
      .split(".")
      .filter(Boolean)
      .reduce<unknown>((object, key) => (object as Record<string, unknown> | undefined)?.[key], value);
  }
  const input = /^inputs\.([\w-]+)$/.exec(text);
  if (input) return context.inputs[input[1]!] ?? "";
  const github = /^github((?:\.[\w-]+)+)$/.exec(text);
  if (github && context.github) {
    return (
      github[1]!
        .split(".")
        .filter(Boolean)
        .reduce<unknown>(
          (object, key) => (object as Record<string, unknown> | undefined)?.[key],
          context.github,
        ) ?? ""
    );
  }
  throw new Error(`run-name expression ${text} is not one the local GitHub evaluates`);
}

/** A value that is one whole `${{ ... }}` (a matrix list, say) keeps its type; anything else renders to a string. */
export function evaluateValue(value: unknown, context: ExpressionContext): unknown {
  if (typeof value !== "string") return value;
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(value.trim());
  return whole ? evaluate(whole[1]!, context) : renderTemplate(value, context);
}

/** Renders `${{ ... }}` parts of a string. */
export function renderTemplate(template: string, context: ExpressionContext): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    stringify(evaluate(expression, context)),
  );
}

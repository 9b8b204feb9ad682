import { z } from "zod";
import { ConfigSchema, type RepoConfig } from "./config-schema.ts";
import { didYouMean } from "./did-you-mean.ts";
import type { FieldError, Parsed } from "./result.ts";
import { loadYamlSafely, YamlInputError } from "./safe-yaml.ts";
import { issuePath } from "./zod-errors.ts";

export { ConfigSchema, type RepoConfig } from "./config-schema.ts";

export const CONFIG_PATH = ".github/agent.yml";

/** Keys that would point the runner at a model or hand it a credential; those are runner-side only. */
const RUNNER_ONLY_KEY = /(url|endpoint|host|api[-_]?key|token|secret|password|credential|headers?)$/i;
const RUNNER_ONLY_ADVICE =
  "model endpoints and keys are runner-side settings: the runner's administrator sets them in the action's inputs " +
  "or the model profiles file; a repository only picks a profile by name (model.profile)";

const MCP_RUNNER_ONLY_ADVICE =
  "a repository cannot give an MCP server's URL, headers or credentials: the runner's administrator allows remote " +
  "servers (mcp-servers-file), and a repository picks one by name with `remote: <name>`";

function runnerOnlyKeys(value: unknown, path: (string | number)[] = []): FieldError[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => runnerOnlyKeys(item, [...path, i]));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = [...path, key];
    const inAutomationText = path[0] === "automations";
    const advice = here.includes("mcp") ? MCP_RUNNER_ONLY_ADVICE : RUNNER_ONLY_ADVICE;
    const inAutomationInstructions = inAutomationText && !here.includes("mcp");
    return RUNNER_ONLY_KEY.test(key) && !inAutomationInstructions
      ? [{ path: issuePath(here), message: `not allowed in ${CONFIG_PATH}: ${advice}` }]
      : runnerOnlyKeys(child, here);
  });
}

/** Walks the schema along a path to list the keys an object there accepts. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = ConfigSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[segment as string] as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else return [];
    if (!schema) return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional)
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    // A shorthand-or-object union (sandbox.network): unknown keys can only come from the object form.
    else if (current instanceof z.ZodUnion) {
      const objectForm = (current.options as z.ZodType[]).find((o) => unwrap(o) instanceof z.ZodObject);
      if (!objectForm) return current;
      current = objectForm;
    } else return current;
  }
}

function toConfigErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code !== "unrecognized_keys") return [{ path: issuePath(issue.path), message: issue.message }];
    const known = knownKeysAt(issue.path);
    return issue.keys.map((key) => {
      const suggestion = didYouMean(key, known);
      const hint = suggestion
        ? `; did you mean '${suggestion}'?`
        : known.length
          ? `; known keys: ${known.join(", ")}`
          : "";
      return { path: issuePath([...issue.path, key]), message: `unknown key${hint}` };
    });
  });
}

/** Parses `.github/agent.yml`. An empty file gives the defaults; every problem comes back located. */
export function loadConfig(yamlText: string): Parsed<RepoConfig> {
  let raw: unknown;
  try {
    raw = loadYamlSafely(yamlText) ?? {};
  } catch (error) {
    if (error instanceof YamlInputError) return { ok: false, errors: [{ path: "", message: error.message }] };
    throw error;
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    const got = Array.isArray(raw) ? "a list" : `a ${typeof raw}`;
    return {
      ok: false,
      errors: [{ path: "", message: `expected a mapping of settings at the top level, got ${got}` }],
    };
  }
  const forbidden = runnerOnlyKeys(raw);
  if (forbidden.length > 0) return { ok: false, errors: forbidden };
  const result = ConfigSchema.safeParse(raw);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: toConfigErrors(result.error) };
}

/** The configuration a repository gets when it has no `.github/agent.yml`. */
export function defaultConfig(): RepoConfig {
  return ConfigSchema.parse({});
}

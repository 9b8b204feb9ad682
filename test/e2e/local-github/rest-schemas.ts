import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

/** Written by `scripts/extract-rest-schemas.ts` from GitHub's REST description; never edit it by hand. */
export const REST_SCHEMAS_PATH = join(import.meta.dirname, "rest-schemas.generated.json");

export interface RestSchemas {
  /** The package and version of the REST description the schemas come from. */
  source: string;
  generatedBy: string;
  operations: Record<
    string,
    { operationId: string; documentation: string; requestBody?: { required: boolean; schema: unknown } }
  >;
}

let loaded: RestSchemas | undefined;
export function restSchemas(): RestSchemas {
  loaded ??= JSON.parse(readFileSync(REST_SCHEMAS_PATH, "utf8")) as RestSchemas;
  return loaded;
}

// OpenAPI 3.0 schemas: `nullable`, formats GitHub does not define for JSON Schema (`repo.nwo`), no strictness.
const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, validateFormats: false });
const validators = new Map<string, ValidateFunction>();

const show = (value: unknown): string =>
  value === null || value === undefined ? "nil" : JSON.stringify(value);

/**
 * GitHub's words for a body that does not match the operation's schema, one line per problem:
 * `"title" wasn't supplied.`, `For 'properties/event', "APPROVED" is not one of [...]`,
 * `For 'properties/body', nil is not a string.`, `No subschema in "anyOf" matched.` (the texts as
 * GitHub answers them: lowlighter/metrics#21, github/maven-plugins#137, hohl/sourcedrop-osx#10).
 */
function describe(error: ErrorObject): string {
  const where = `properties${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `"${String(params.missingProperty)}" wasn't supplied.`;
    case "type":
      return `For '${where}', ${show(error.data)} is not ${/^[aeiou]/.test(String(params.type)) ? "an" : "a"} ${String(params.type)}.`;
    case "enum":
      return `For '${where}', ${show(error.data)} is not one of ${JSON.stringify(params.allowedValues)}.`;
    case "maxLength":
    case "maxItems":
    case "maxProperties":
      return `For '${where}', ${show(error.data)} is too long (maximum is ${String(params.limit)}).`;
    case "minLength":
    case "minItems":
    case "minProperties":
      return `For '${where}', ${show(error.data)} is too short (minimum is ${String(params.limit)}).`;
    case "anyOf":
    case "oneOf":
      return `No subschema in "${error.keyword}" matched.`;
    default:
      return `For '${where}', ${show(error.data)} ${error.message ?? "is invalid"}.`;
  }
}

export type BodyCheck =
  | { ok: true }
  | { ok: false; status: 422; message: string; documentation: string }
  | { ok: false; status: "unknown-operation" };

/**
 * Checks a request body against the schema of its operation in GitHub's REST description (required
 * fields, enums, types, lengths), as GitHub does before the handler runs: 422 "Invalid request."
 */
export function checkRequestBody(route: string, body: unknown): BodyCheck {
  const operation = restSchemas().operations[route];
  if (!operation) return { ok: false, status: "unknown-operation" };
  const request = operation.requestBody;
  if (!request || (body === undefined && !request.required)) return { ok: true };
  let validate = validators.get(route);
  if (!validate) {
    validate = ajv.compile(request.schema as object);
    validators.set(route, validate);
  }
  if (validate(body ?? null)) return { ok: true };
  const lines = [...new Set((validate.errors ?? []).map((error) => describe(error)))];
  return {
    ok: false,
    status: 422,
    message: `Invalid request.\n\n${lines.join("\n")}`,
    documentation: operation.documentation,
  };
}

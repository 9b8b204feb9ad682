/**
 * Writes test/e2e/local-github/rest-schemas.generated.json: the request-body JSON schema of every
 * REST operation this project calls or the local GitHub serves, taken from GitHub's REST description
 * (github/rest-api-description, as published on npm by Octokit in `@octokit/openapi`). The full
 * description is 13 MB and every version is a new package, so it is not a dependency: this script
 * fetches the version that `@octokit/openapi-types` (installed, used for the route types) was built
 * from, with `npm pack`, and keeps only what is needed. Run it after adding a call or a route:
 *
 *   npx tsx scripts/extract-rest-schemas.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calledOperations } from "../test/e2e/local-github/called-operations.ts";
import { REST_SCHEMAS_PATH, type RestSchemas } from "../test/e2e/local-github/rest-schemas.ts";
import { ROUTE_PERMISSIONS } from "../test/e2e/local-github/route-permissions.ts";

const ROOT = join(import.meta.dirname, "..");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Operation {
  operationId: string;
  externalDocs?: { url: string };
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
}
interface Description {
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
}

/** The `@octokit/openapi` version `@octokit/openapi-types` was generated from. */
async function openapiVersion(): Promise<string> {
  const types = JSON.parse(
    await readFile(join(ROOT, "node_modules/@octokit/openapi-types/package.json"), "utf8"),
  ) as { octokit?: { "openapi-version"?: string } };
  const version = types.octokit?.["openapi-version"];
  if (!version) throw new Error("@octokit/openapi-types does not name its openapi-version; run npm ci");
  return version;
}

async function fetchDescription(version: string): Promise<Description> {
  const dir = await mkdtemp(join(tmpdir(), "rest-description-"));
  try {
    const tarball = execFileSync(
      "npm",
      ["pack", `@octokit/openapi@${version}`, "--pack-destination", dir, "--silent"],
      {
        encoding: "utf8",
      },
    ).trim();
    execFileSync("tar", ["-xzf", join(dir, tarball), "-C", dir, "package/generated/api.github.com.json"]);
    return JSON.parse(
      await readFile(join(dir, "package/generated/api.github.com.json"), "utf8"),
    ) as Description;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** OpenAPI 3.0's `nullable: true` in JSON Schema terms: `null` is one more allowed type. */
function withoutNullable(schema: { [key: string]: Json }): Json {
  if (schema.nullable !== true) return schema;
  const { nullable: _, ...rest } = schema;
  if (typeof rest.type === "string") return { ...rest, type: [rest.type, "null"] };
  return { anyOf: [rest, { type: "null" }] };
}

/**
 * Inlines `#/components/schemas/*` references, turns `nullable` into JSON Schema and drops prose
 * (descriptions, examples), so the file is plain JSON Schema any validator reads.
 */
function inline(schema: Json, description: Description, seen: string[] = []): Json {
  if (Array.isArray(schema)) return schema.map((item) => inline(item, description, seen));
  if (schema === null || typeof schema !== "object") return schema;
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const name = ref.replace("#/components/schemas/", "");
    if (seen.includes(name)) return {};
    return inline(description.components.schemas[name] ?? {}, description, [...seen, name]);
  }
  return withoutNullable(
    Object.fromEntries(
      Object.entries(schema)
        .filter(([key]) => key !== "description" && key !== "example" && key !== "examples")
        .map(([key, value]) => [key, inline(value, description, seen)]),
    ),
  );
}

async function main(): Promise<void> {
  const version = await openapiVersion();
  const description = await fetchDescription(version);
  const routes = new Set([
    ...(await calledOperations(ROOT)).map((operation) => operation.route),
    ...Object.keys(ROUTE_PERMISSIONS),
  ]);
  const operations: RestSchemas["operations"] = {};
  for (const route of [...routes].sort()) {
    const [method, path] = route.split(" ") as [string, string];
    const operation = description.paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${route} is not in GitHub's REST description ${version}`);
    const schema = operation.requestBody?.content?.["application/json"]?.schema;
    operations[route] = {
      operationId: operation.operationId,
      documentation: operation.externalDocs?.url ?? "https://docs.github.com/rest",
      ...(schema
        ? {
            requestBody: {
              required: operation.requestBody?.required ?? false,
              schema: inline(schema, description),
            },
          }
        : {}),
    };
  }
  const out: RestSchemas = {
    source: `@octokit/openapi@${version} (github/rest-api-description, api.github.com)`,
    generatedBy: "scripts/extract-rest-schemas.ts",
    operations,
  };
  await writeFile(REST_SCHEMAS_PATH, `${JSON.stringify(out, null, 2)}\n`);
  console.log(
    `wrote ${Object.keys(operations).length} operations from @octokit/openapi@${version} to ${REST_SCHEMAS_PATH}`,
  );
}

await main();

/**
 * Remote MCP servers (Streamable HTTP) the runner's administrator allows, in a file on the runner
 * (action input `mcp-servers-file`). A repository picks one by name (`mcp.servers.<x>.remote`) and
 * never gives a URL, as with model endpoints. Header values come from the runner's environment
 * (the workflow maps secrets into it), never from the file.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { mcpServerName } from "../../core/config-schema.ts";
import { formatErrors } from "../../core/result.ts";
import { loadYamlSafely } from "../../core/safe-yaml.ts";
import { toFieldErrors } from "../../core/zod-errors.ts";

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name");

export const RemoteServersFileSchema = z.strictObject({
  servers: z.record(
    mcpServerName,
    z.strictObject({
      url: z
        .url({ error: "expected the server's Streamable HTTP URL, such as https://mcp.example.com/mcp" })
        .refine((url) => /^https?:\/\//.test(url), "expected an http(s) URL"),
      /** Header name → the environment variable holding its value (e.g. Authorization: DOCS_MCP_AUTH). */
      headersFromEnv: z
        .record(z.string().regex(/^[A-Za-z0-9-]+$/, "expected an HTTP header name"), envName)
        .optional(),
    }),
  ),
});

export interface RemoteServer {
  url: string;
  headers: Record<string, string>;
}
export type RemoteServers = Record<string, RemoteServer>;

export class RemoteServersError extends Error {}

export async function loadRemoteServers(path: string, env: NodeJS.ProcessEnv): Promise<RemoteServers> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new RemoteServersError(
      `cannot read the MCP servers file ${path} (${(error as NodeJS.ErrnoException).code ?? error}); check the path given as mcp-servers-file`,
    );
  }
  return parseRemoteServers(text, env, path);
}

export function parseRemoteServers(
  text: string,
  env: NodeJS.ProcessEnv,
  source = "MCP servers",
): RemoteServers {
  const parsed = RemoteServersFileSchema.safeParse(loadYamlSafely(text));
  if (!parsed.success) {
    throw new RemoteServersError(
      `${source} (mcp-servers-file) is invalid (expected { servers: { docs: { url: https://…/mcp, headersFromEnv: { Authorization: DOCS_MCP_AUTH } } } }):\n${formatErrors(toFieldErrors(parsed.error))}`,
    );
  }
  const servers: RemoteServers = {};
  for (const [name, server] of Object.entries(parsed.data.servers)) {
    const headers: Record<string, string> = {};
    for (const [header, variable] of Object.entries(server.headersFromEnv ?? {})) {
      const value = env[variable];
      if (!value) {
        throw new RemoteServersError(
          `MCP server ${name}: header ${header} comes from the environment variable ${variable}, which is not set; map the secret into the step's env (env: { ${variable}: \${{ secrets.${variable} }} })`,
        );
      }
      headers[header] = value;
    }
    servers[name] = { url: server.url, headers };
  }
  return servers;
}

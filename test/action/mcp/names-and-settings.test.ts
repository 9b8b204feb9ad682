import { describe, expect, it } from "vitest";
import { parseRemoteServers } from "../../../action/mcp/remote-servers.ts";
import { mcpToolName } from "../../../action/mcp/tool-names.ts";
import { toolsForTask } from "../../../action/tools/registry.ts";

describe("MCP tool names", () => {
  it("are <server>__<tool>, in the characters and length function names allow", () => {
    const taken = new Set<string>();
    expect(mcpToolName("docs", "search", taken)).toBe("docs__search");
    expect(mcpToolName("docs", "get page.v2", taken)).toBe("docs__get_page_v2");
    const long = mcpToolName("docs", "x".repeat(100), taken);
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it("never collide: two tools cleaning to one name get a suffix, and no built-in has a double underscore", () => {
    const taken = new Set<string>();
    expect(mcpToolName("a", "x.y", taken)).toBe("a__x_y");
    expect(mcpToolName("a", "x y", taken)).toBe("a__x_y_2");
    expect(mcpToolName("b", "x.y", taken)).toBe("b__x_y");
    for (const kind of ["fix-issue", "review"] as const) {
      for (const tool of toolsForTask({ kind })) expect(tool.name).not.toContain("__");
    }
  });
});

describe("the runner's remote MCP servers (mcp-servers-file)", () => {
  const file =
    "servers:\n  docs:\n    url: https://mcp.example.com/mcp\n    headersFromEnv: { Authorization: DOCS_MCP_AUTH }\n";

  it("take header values from the runner's environment, never from the file", () => {
    expect(parseRemoteServers(file, { DOCS_MCP_AUTH: "Bearer abc" })).toEqual({
      docs: { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer abc" } },
    });
  });

  it("name the missing variable and how to map the secret", () => {
    expect(() => parseRemoteServers(file, {})).toThrow(
      /DOCS_MCP_AUTH, which is not set.*secrets\.DOCS_MCP_AUTH/,
    );
  });

  it("refuse a header written in the file and a URL that is not http(s)", () => {
    expect(() =>
      parseRemoteServers("servers:\n  docs: { url: https://x/mcp, headers: { A: b } }\n", {}),
    ).toThrow(/mcp-servers-file.*headers/s);
    expect(() => parseRemoteServers("servers:\n  docs: { url: 'file:///etc/passwd' }\n", {})).toThrow(
      /http\(s\)/,
    );
  });
});

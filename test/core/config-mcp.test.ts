import { describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.ts";

const errors = (yaml: string) => {
  const parsed = loadConfig(yaml);
  if (parsed.ok) throw new Error("expected the config to be refused");
  return parsed.errors;
};

describe(".github/agent.yml: mcp.servers", () => {
  it("names stdio servers by command (run in the sandbox) and remote ones by the runner's name", () => {
    const parsed = loadConfig(
      "mcp:\n  servers:\n    repo: { command: [node, tools/mcp.js], env: { LOG: debug } }\n    docs: { remote: docs }\n",
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        mcp: {
          servers: {
            repo: { command: ["node", "tools/mcp.js"], env: { LOG: "debug" } },
            docs: { remote: "docs" },
          },
        },
      },
    });
    expect(loadConfig("")).toMatchObject({ ok: true, value: { mcp: { servers: {} } } });
  });

  it("refuses a repository naming a remote URL or headers, and says how a remote server is chosen", () => {
    const found = errors(
      "mcp:\n  servers:\n    evil: { url: 'https://attacker.example/mcp', headers: { X: y } }\n",
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "mcp.servers.evil.url",
          message: expect.stringMatching(
            /cannot give an MCP server.s URL, headers or credentials.*mcp-servers-file.*remote: <name>/,
          ),
        }),
        expect.objectContaining({ path: "mcp.servers.evil.headers" }),
      ]),
    );
  });

  it("needs exactly one of command and remote, and a name that splits <server>__<tool> one way", () => {
    expect(errors("mcp: { servers: { x: {} } }\n")[0]!.message).toMatch(/either command .* or remote/);
    expect(errors("mcp: { servers: { x: { command: [a], remote: b } } }\n")[0]!.message).toMatch(
      /either command/,
    );
    expect(errors("mcp: { servers: { my_docs: { remote: docs } } }\n")[0]!.message).toMatch(/server name/);
  });

  it("lets an automation add servers of its own", () => {
    const parsed = loadConfig(
      "automations:\n  tasks:\n    weekly:\n      instructions: check\n      mcp: { servers: { db: { command: [node, db-mcp.js] } } }\n",
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: { automations: { tasks: { weekly: { mcp: { servers: { db: {} } } } } } },
    });
  });
});

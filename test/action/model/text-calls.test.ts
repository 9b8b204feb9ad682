/** Text tool calls in every form open-weight models write, and prose that must not be read as a call. */
import { describe, expect, it } from "vitest";
import type { ToolSpec } from "../../../action/chat/types.ts";
import { parseTextToolCalls } from "../../../action/model/text-tools.ts";

const tools: ToolSpec[] = [
  {
    name: "read_file",
    description: "Read a file.",
    parameters: { type: "object", properties: { path: { type: "string" }, startLine: { type: "integer" } } },
  },
  {
    name: "edit_file",
    description: "Edit a file.",
    parameters: {
      type: "object",
      properties: { path: { type: "string" }, oldText: { type: "string" }, newText: { type: "string" } },
    },
  },
  {
    name: "finish",
    description: "Finish.",
    parameters: { type: "object", properties: { summary: { type: "string" } } },
  },
];

const read = { name: "read_file", arguments: { path: "src/sum.js" } };
const parse = (content: string) => parseTextToolCalls(content, "call_1", tools);
const args = (content: string) => parse(content).calls.map((c) => [c.name, JSON.parse(c.arguments)]);

describe("text tool calls: the forms models emit", () => {
  const forms: Array<[string, string]> = [
    ["our ```tool fence", `Reading it.\n\`\`\`tool\n${JSON.stringify(read)}\n\`\`\``],
    ["Hermes / Qwen2.5 <tool_call>", `<tool_call>\n${JSON.stringify(read)}\n</tool_call>`],
    ["<tool_call> left open at the end of the reply", `Let me look.\n<tool_call>\n${JSON.stringify(read)}`],
    ["fenced ```json with name + arguments", `\`\`\`json\n${JSON.stringify(read)}\n\`\`\``],
    ["fenced block without a tag", `\`\`\`\n${JSON.stringify(read)}\n\`\`\``],
    ["Llama 3.x bare JSON with parameters", '{"name": "read_file", "parameters": {"path": "src/sum.js"}}'],
    [
      "Llama 3.1 <|python_tag|> prefix",
      '<|python_tag|>{"name": "read_file", "parameters": {"path": "src/sum.js"}}',
    ],
    [
      "bare JSON after prose",
      'I will read the file first.\n{"name": "read_file", "arguments": {"path": "src/sum.js"}}',
    ],
    ["bare JSON array of calls", `[${JSON.stringify(read)}]`],
    ["Mistral v3 [TOOL_CALLS] list", `[TOOL_CALLS] [${JSON.stringify(read)}]`],
    ["Mistral v11 [TOOL_CALLS]name[ARGS]", '[TOOL_CALLS]read_file[ARGS]{"path": "src/sum.js"}'],
    ["Mistral v11 with [CALL_ID]", '[TOOL_CALLS]read_file[CALL_ID]a1b2c3d4e[ARGS]{"path": "src/sum.js"}'],
    [
      "Qwen3-Coder <function=…><parameter=…>",
      "<tool_call>\n<function=read_file>\n<parameter=path>\nsrc/sum.js\n</parameter>\n</function>\n</tool_call>",
    ],
    [
      "Qwen3-Coder <function=…> without <tool_call>",
      "<function=read_file>\n<parameter=path>\nsrc/sum.js\n</parameter>\n</function>",
    ],
  ];
  it.each(forms)("reads %s", (_form, content) => {
    const parsed = parse(content);
    expect(parsed.errors).toEqual([]);
    expect(args(content)).toEqual([["read_file", { path: "src/sum.js" }]]);
  });

  it("reads several calls in one reply, in order, across forms", () => {
    const content = [
      "<tool_call>",
      JSON.stringify(read),
      "</tool_call>",
      "then",
      '[TOOL_CALLS]edit_file[ARGS]{"path": "a", "oldText": "-", "newText": "+"}[TOOL_CALLS]finish[ARGS]{"summary": "done"}',
    ].join("\n");
    expect(args(content).map(([name]) => name)).toEqual(["read_file", "edit_file", "finish"]);
    expect(parse(content).calls.map((c) => c.id)).toEqual(["call_1_1", "call_1_2", "call_1_3"]);
  });

  it("reads Llama's several calls separated by semicolons", () => {
    const content =
      '{"name": "read_file", "parameters": {"path": "a"}}; {"name": "read_file", "parameters": {"path": "b"}}';
    expect(args(content)).toEqual([
      ["read_file", { path: "a" }],
      ["read_file", { path: "b" }],
    ]);
  });

  it("keeps Qwen3-Coder values raw and converts them by the declared type", () => {
    const code = 'if (a < b) {\n  return "x\\n";\n}';
    const content = `<tool_call>\n<function=edit_file>\n<parameter=path>\nsrc/a.js\n</parameter>\n<parameter=oldText>\n${code}\n</parameter>\n<parameter=newText>\nreturn 1;\n</parameter>\n</function>\n</tool_call>`;
    expect(args(content)).toEqual([["edit_file", { path: "src/a.js", oldText: code, newText: "return 1;" }]]);
    expect(
      args(
        "<function=read_file>\n<parameter=path>\na\n</parameter>\n<parameter=startLine>\n12\n</parameter>\n</function>",
      ),
    ).toEqual([["read_file", { path: "a", startLine: 12 }]]);
  });
});

describe("text tool calls: prose is not a call", () => {
  const prose: Array<[string, string]> = [
    ["JSON in prose with other keys", 'The package is {"name": "left-pad", "version": "1.3.0"}.'],
    ["a code block that is code", "```js\nfunction sum(a, b) { return a - b; }\n```"],
    ["a JSON code block naming no tool", '```json\n{"name": "my-app", "arguments": {"x": 1}}\n```'],
    ["a bare object naming an unknown tool", '{"name": "delete_everything", "arguments": {}}'],
    ["a tool name without arguments", 'Call {"name": "read_file"} next.'],
    ["braces in prose", "The set {a, b} has {two} elements; f(x) = {x | x > 0}."],
    [
      "a call-shaped object inside a code block of code",
      '```ts\nconst call = {"name": "read_file", "arguments": {"path": "x"}};\n```',
    ],
  ];
  it.each(prose)("ignores %s", (_what, content) => {
    expect(parse(content)).toEqual({ calls: [], errors: [] });
  });
});

describe("text tool calls: marked but unreadable", () => {
  it("reports a marked call that is not JSON, naming the expected format", () => {
    const { calls, errors } = parse("<tool_call>{name: read_file}</tool_call>");
    expect(calls).toEqual([]);
    expect(errors[0]).toMatch(/tool_call tag could not be read: it is not valid JSON/);
    expect(errors[0]).toContain('{"name": "read_file", "arguments": {"path": "src/index.js"}}');
  });

  it("reports a ```tool block without a name", () => {
    expect(parse('```tool\n{"arguments": {}}\n```').errors[0]).toMatch(/"name"/);
  });

  it("reports [TOOL_CALLS] followed by nothing readable", () => {
    expect(parse("[TOOL_CALLS] sorry").errors[0]).toMatch(/nothing after \[TOOL_CALLS\]/);
  });
});

/**
 * Writers for each form of text tool call that open-weight models emit, so one trajectory can be
 * replayed as Hermes, Llama, Mistral, Qwen3-Coder… (sources in docs/models.md and next to each
 * parser in action/model/text-calls/).
 */
import type { FixtureRepo } from "./fixture-repo.ts";
import type { ScriptedReply } from "./scripted-replies.ts";

export interface FormCall {
  name: string;
  args: Record<string, unknown>;
}

export type FormWriter = (call: FormCall) => string;

const json = (call: FormCall, key = "arguments") => JSON.stringify({ name: call.name, [key]: call.args });

export const forms: Record<string, FormWriter> = {
  "```tool fence (our prompt's format)": (call) => `\`\`\`tool\n${json(call)}\n\`\`\``,
  "Hermes / Qwen <tool_call>": (call) => `<tool_call>\n${json(call)}\n</tool_call>`,
  "fenced ```json with name + arguments": (call) => `Next step:\n\`\`\`json\n${json(call)}\n\`\`\``,
  "fenced ```json with name + parameters": (call) => `\`\`\`json\n${json(call, "parameters")}\n\`\`\``,
  "Llama 3.x bare JSON object": (call) => json(call, "parameters"),
  "Llama 3.x bare JSON array": (call) => `[${json(call, "parameters")}]`,
  "Mistral [TOOL_CALLS] list (v3 tokenizer)": (call) => `[TOOL_CALLS] [${json(call)}]`,
  "Mistral [TOOL_CALLS]name[ARGS] (v11 tokenizer)": (call) =>
    `[TOOL_CALLS]${call.name}[ARGS]${JSON.stringify(call.args)}`,
  "Qwen3-Coder <function=…><parameter=…>": (call) =>
    [
      "<tool_call>",
      `<function=${call.name}>`,
      ...Object.entries(call.args).map(
        ([key, value]) => `<parameter=${key}>\n${String(value)}\n</parameter>`,
      ),
      "</function>",
      "</tool_call>",
    ].join("\n"),
};

/** The shortest honest fix of a fixture repository, as calls. */
export function fixingCalls(repo: FixtureRepo): FormCall[] {
  return [
    { name: "list_files", args: {} },
    { name: "read_file", args: { path: repo.bug.path } },
    { name: "edit_file", args: { path: repo.bug.path, oldText: repo.bug.broken, newText: repo.bug.fixed } },
    { name: "run", args: { command: repo.testCommand } },
    { name: "finish", args: { summary: `Fixed the operator in ${repo.bug.path}.` } },
  ];
}

export function textReply(
  writer: FormWriter,
  call: FormCall,
  extra: Partial<ScriptedReply> = {},
): ScriptedReply {
  return { kind: "reply", content: writer(call), ...extra } as ScriptedReply;
}

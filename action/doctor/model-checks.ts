/**
 * Each model profile from the runner's point of view: one chat request offering one tool, answered
 * with a call to it (natively, or written as text, which the agent also reads), with its latency;
 * then what the server says about its context window (`inspectModelServer`).
 */

import type { ToolSpec } from "../chat/types.ts";
import { createModelClient } from "../model/client.ts";
import { loadModelProfiles, type ModelProfiles, resolveModelProfile } from "../model/profiles.ts";
import { inspectModelServer } from "../model/server-report.ts";
import type { ModelSettings } from "../model/types.ts";
import { type CheckResult, runCheck } from "./check.ts";

export interface ModelCheckOptions {
  profilesFile?: string;
  /** CLI flags / action inputs: applied to every profile, as in a task. */
  overrides?: Partial<ModelSettings>;
  env?: Record<string, string | undefined>;
}

const PING_TOOL: ToolSpec = {
  name: "report_status",
  description: "Report that you can call tools.",
  parameters: {
    type: "object",
    properties: { status: { type: "string", description: "the word ok" } },
    required: ["status"],
  },
};

const PROMPT = [
  { role: "system" as const, content: "You are a connectivity check. Answer only by calling the tool." },
  { role: "user" as const, content: 'Call report_status with {"status": "ok"}.' },
];

async function checkProfile(name: string, settings: ModelSettings): Promise<CheckResult> {
  return runCheck(
    "model",
    `model.${name}`,
    async () => {
      const client = createModelClient(
        { ...settings, maxTokens: settings.maxTokens ?? 512 },
        { retryBaseDelayMs: 200 },
      );
      const reply = await client.complete(
        PROMPT,
        [PING_TOOL],
        AbortSignal.timeout(settings.requestTimeoutMs ?? 120_000),
      );
      const latencyMs = Math.round(reply.latencyMs);
      const details = { model: settings.model, baseUrl: settings.baseUrl, mode: reply.mode, latencyMs };
      if (!reply.toolCalls.some((call) => call.name === PING_TOOL.name))
        return {
          status: "fail",
          summary: `${settings.model} at ${settings.baseUrl} answered in ${latencyMs} ms without calling the tool it was offered`,
          fix: "serve the model with tool calling on (vLLM: --enable-auto-tool-choice --tool-call-parser <family>; llama.cpp: --jinja), or pick a model that calls tools; docs/models.md lists the flags",
          details,
        };
      const window = await inspectModelServer(settings);
      const summary = `${settings.model} at ${settings.baseUrl} called a tool (${reply.mode} mode) in ${latencyMs} ms`;
      if (window.advice.length)
        return {
          status: "warn",
          summary: `${summary}; context window: ${window.advice.join(" ")}`,
          fix: window.advice.join(" "),
          details: { ...details, contextWindow: window.contextWindow.tokens },
        };
      return {
        status: "ok",
        summary: `${summary}; context window ${window.contextWindow.tokens ?? "unknown"} tokens`,
        details: { ...details, contextWindow: window.contextWindow.tokens },
      };
    },
    `start the model server or correct baseUrl/model for profile '${name}' in the profiles file`,
  );
}

export async function modelChecks(options: ModelCheckOptions): Promise<CheckResult[]> {
  let profiles: ModelProfiles | undefined;
  const results: CheckResult[] = [];
  if (options.profilesFile) {
    const loaded = await runCheck(
      "model",
      "model.profiles-file",
      async () => {
        profiles = await loadModelProfiles(options.profilesFile as string);
        return {
          status: "ok",
          summary: `${options.profilesFile}: profiles ${Object.keys(profiles).join(", ")}`,
        };
      },
      "fix the profiles file as the message says (docs/action.md, the model profiles file)",
    );
    if (loaded.status === "fail") return [loaded];
    results.push(loaded);
  }
  const names = profiles ? Object.keys(profiles) : ["default"];
  for (const name of names) {
    let settings: ModelSettings;
    try {
      settings = resolveModelProfile(name, {
        ...(profiles ? { profiles } : {}),
        ...(options.env ? { env: options.env } : {}),
        ...(options.overrides ? { overrides: options.overrides } : {}),
      });
    } catch (error) {
      results.push({
        group: "model",
        id: `model.${name}`,
        status: "fail",
        summary: (error as Error).message,
        fix: "pass --profiles-file /etc/inhouse/models.yml (or --base-url and --model)",
        durationMs: 0,
      });
      continue;
    }
    results.push(await checkProfile(name, settings));
  }
  return results;
}

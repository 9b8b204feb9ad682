/**
 * Repository rule files, in order of precedence: AGENTS.md (the root one, and nested ones nearest
 * to the files the agent touches), tembo.md, CLAUDE.md, .github/copilot-instructions.md.
 */
import { posix } from "node:path";
import { cleanPromptText } from "../../core/prompt-text.ts";
import type { Sandbox } from "../sandbox/types.ts";

export const RULE_FILE_MAX_CHARS = 8_000;
export const ROOT_RULE_FILES = [
  "AGENTS.md",
  "tembo.md",
  "CLAUDE.md",
  ".github/copilot-instructions.md",
] as const;

export interface RuleFile {
  path: string;
  content: string;
}

/**
 * Rule files are repository content read into the prompt: they get the same cleaning as issue
 * text (hidden HTML, invisible characters) and a size cap.
 */
function cleanRuleFile(text: string): string {
  return cleanPromptText(text, { maxChars: RULE_FILE_MAX_CHARS });
}

async function readIfPresent(sandbox: Sandbox, path: string): Promise<RuleFile | undefined> {
  try {
    const text = (await sandbox.readFile(path)).toString("utf8");
    const content = cleanRuleFile(text);
    return content ? { path, content } : undefined;
  } catch {
    return undefined;
  }
}

/** The root rule files that exist, highest precedence first. */
export async function loadRootRuleFiles(sandbox: Sandbox): Promise<RuleFile[]> {
  const found = await Promise.all(ROOT_RULE_FILES.map((path) => readIfPresent(sandbox, path)));
  return found.filter((file): file is RuleFile => file !== undefined);
}

/** Paths of AGENTS.md files below the root, from one listing at the start. */
export async function listNestedAgentsFiles(sandbox: Sandbox): Promise<string[]> {
  const result = await sandbox
    .exec(
      "git ls-files -- '*/AGENTS.md' 2>/dev/null || find . -mindepth 2 -name AGENTS.md -not -path '*/.git/*'",
      {
        timeoutMs: 30_000,
      },
    )
    .catch(() => undefined);
  if (result?.exitCode !== 0) return [];
  return result.stdout
    .split("\n")
    .map((line) => line.trim().replace(/^\.\//, ""))
    .filter((line) => line.endsWith("AGENTS.md") && line.includes("/"))
    .sort();
}

/** The nested AGENTS.md nearest to a path (its own directory first, then each parent), if any. */
export function nearestNestedAgentsFile(nested: string[], filePath: string): string | undefined {
  for (
    let dir = posix.dirname(filePath);
    dir !== "." && dir !== "/" && dir !== "";
    dir = posix.dirname(dir)
  ) {
    const candidate = `${dir}/AGENTS.md`;
    if (nested.includes(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Hands out each nested AGENTS.md once, the first time the agent touches a file under it. The
 * rules arrive as a message at that point rather than in the system prompt, which stays unchanged.
 */
export function createNestedRules(sandbox: Sandbox, nested: string[]) {
  const delivered = new Set<string>();
  return async (touchedPath: string): Promise<RuleFile | undefined> => {
    const path = nearestNestedAgentsFile(nested, touchedPath);
    if (!path || delivered.has(path)) return undefined;
    delivered.add(path);
    return readIfPresent(sandbox, path);
  };
}

/** A test command named in a rule file's commands section, such as "- test: `npm test`". */
export function testCommandFromRuleFiles(files: RuleFile[]): string | undefined {
  for (const file of files) {
    const lines = file.content.split("\n");
    let inCommands = false;
    let level = 0;
    for (const line of lines) {
      const heading = /^(#{1,6})\s+(.*)$/.exec(line);
      if (heading) {
        const depth = heading[1]!.length;
        if (/command/i.test(heading[2]!)) {
          inCommands = true;
          level = depth;
        } else if (inCommands && depth <= level) {
          inCommands = false;
        }
        continue;
      }
      if (!inCommands) continue;
      const match = /^\s*[-*]?\s*\**`?test`?\**\s*[:=-]\s*`([^`]+)`/i.exec(line);
      if (match) return match[1]!.trim();
    }
  }
  return undefined;
}

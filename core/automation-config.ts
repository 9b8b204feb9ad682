import type { AutomationConfig, RepoConfig } from "./config-schema.ts";

/**
 * The config one automation runs with: the repository's, with the automation's own model profile,
 * limits and sandbox laid over it. The runner's caps still bound the result (action/pipeline/effective-limits.ts),
 * so an automation can ask for more than the repository's defaults, never more than the runner allows.
 */
export function automationRunConfig(config: RepoConfig, automation: AutomationConfig): RepoConfig {
  const { sandbox } = automation;
  return {
    ...config,
    model: automation.model ?? config.model,
    limits: { ...config.limits, ...definedOnly(automation.limits) },
    sandbox: { ...config.sandbox, ...definedOnly(sandbox) },
  };
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The attack catalogue: every case tries an attack for real and asserts it was contained. Cases
 * live in catalogue/, grouped by what they attack; this file runs them in one process so the
 * summary line counts them all. Docker-backed groups need the sandbox and proxy images.
 */
import { afterAll, beforeAll, describe } from "vitest";
import { allowDockerHijack, requireSandboxImage } from "../action/sandbox/sandbox-helpers.ts";
import { describeDocker } from "../helpers/docker.ts";
import { budgetCases } from "./catalogue/budget-cases.ts";
import { modelTextActionCases, modelTextAppCases } from "./catalogue/model-text-cases.ts";
import { policyCases } from "./catalogue/policy-cases.ts";
import { privateDestinationCases } from "./catalogue/private-destination-cases.ts";
import { promptAndSecretCases } from "./catalogue/prompt-and-secrets.ts";
import { protectedPathCases, protectedPathConfigCases } from "./catalogue/protected-path-cases.ts";
import { publishedTreeCases } from "./catalogue/published-tree-cases.ts";
import { reasoningCases } from "./catalogue/reasoning-cases.ts";
import { printSummaryAfterAll } from "./catalogue/registry.ts";
import { runnerSettingCases } from "./catalogue/runner-setting-cases.ts";
import { sandboxEscapeCases } from "./catalogue/sandbox-escape.ts";
import { taskForgeryCases } from "./catalogue/task-forgery-cases.ts";
import { tokenExchangeCases } from "./catalogue/token-exchange-cases.ts";
import { triggerCases } from "./catalogue/trigger-cases.ts";

printSummaryAfterAll();

describe("security catalogue (triggers, policy, real git)", () => {
  policyCases();
  triggerCases();
  protectedPathConfigCases();
  modelTextAppCases();
  tokenExchangeCases();
});

describeDocker("security catalogue (real sandbox)", () => {
  let restoreNock: () => void = () => undefined;
  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
  });
  afterAll(() => restoreNock());

  promptAndSecretCases();
  sandboxEscapeCases();
  budgetCases();
  reasoningCases();
  protectedPathCases();
  publishedTreeCases();
  modelTextActionCases();
  privateDestinationCases();
  runnerSettingCases();
  taskForgeryCases();
});

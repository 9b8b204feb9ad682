import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { ModelPrice } from "../core/cost.ts";
import { createRedactor, type Redactor } from "../core/redact.ts";
import { neutraliseMarkers } from "../core/status-marker.ts";
import type { Task } from "../core/task.ts";
import type { AgentProgress, AgentResult, AgentRunOptions, ModelSettings } from "./agent/types.ts";
import type { GitHub } from "./github/client.ts";
import { commitAuthor } from "./github/commit-author.ts";
import { explainGitHubError } from "./github/github-failure.ts";
import { LongBodies } from "./github/long-bodies.ts";
import { StatusComment } from "./github/status-comment.ts";
import { authenticateTask } from "./github/task-authenticity.ts";
import { taskTokenSource } from "./github/task-token.ts";
import { type JobLog, neutralisedLog, neutraliseForLog } from "./job-log.ts";
import { openMcpServers } from "./mcp/open-mcp-servers.ts";
import type { RemoteServers } from "./mcp/remote-servers.ts";
import { taskMcpServers } from "./mcp/task-mcp-servers.ts";
import { publishResult } from "./publish-result.ts";
import { readRequest } from "./read-request.ts";
import { resolveTask } from "./resolve-task.ts";
import { withBlockedHosts } from "./sandbox/egress/egress-log.ts";
import type { Sandbox, SandboxOptions } from "./sandbox/types.ts";
import type { Settings } from "./settings.ts";
import { auditLogPath } from "./summary/audit-path.ts";
import { recordCutTexts } from "./summary/cut-texts.ts";
import { type SummaryWriter, writeJobSummary } from "./summary/job-summary.ts";
import { PhaseClock } from "./summary/phases.ts";
import { usageRecord } from "./summary/usage-record.ts";
import { Cancelled, messageOf, NotDispatchedByApp, Refusal } from "./task-errors.ts";
import { gitAuth } from "./workspace/auth-header.ts";
import { planWorkspace } from "./workspace/plan.ts";
import { prepareWorkspace } from "./workspace/prepare.ts";

export interface RunDeps {
  github(token: string, baseUrl: string): GitHub;
  createSandbox(options: SandboxOptions): Promise<Sandbox>;
  runAgent(options: AgentRunOptions): Promise<AgentResult>;
  resolveModel(settings: Settings, profile: string): Promise<ModelSettings>;
  /** Credential-free clone URL; tests point it at a local bare repository. */
  remoteUrl(owner: string, name: string): string;
  saveState(name: string, value: string): void;
  summary?: SummaryWriter;
  /** The job log; every line written to it is neutralised first (`job-log.ts`). */
  log: JobLog;
  mask(secret: string): void;
  /** `core.getIDToken`: the job's OIDC token, for the App's token exchange (app-url). */
  idToken?(audience: string): Promise<string>;
  /** Aborted when the job is cancelled: the loop stops and nothing is published. */
  signal?: AbortSignal;
  /** Remote MCP servers the runner allows (mcp-servers-file), header values read from its environment. */
  remoteMcpServers?(): Promise<RemoteServers>;
}

export interface TaskOutcome {
  state: "succeeded" | "failed" | "refused" | "cancelled";
  message: string;
  prNumber?: number;
  prUrl?: string;
  verification: "passed" | "failed" | "not-run";
  tokens: number;
}

export const STATE_KEY = "inhouse";

export interface SavedState {
  statusCommentId?: number;
  containerId?: string;
  finished: boolean;
}

/**
 * Each tool call in its own collapsible group of the job log, so a reviewer sees what the agent did
 * without downloading the audit artifact: redacted here, neutralised by the log (issue #13, item 2).
 */
function logToolCall(
  log: Required<JobLog>,
  call: Extract<AgentProgress, { phase: "tool" }>,
  redact: (text: string) => string,
): void {
  const args = call.arguments.length > 120 ? `${call.arguments.slice(0, 119)}…` : call.arguments;
  const seconds = (call.durationMs / 1000).toFixed(1);
  log.group(
    redact(`turn ${call.turn} · ${call.name} ${args} · ${call.ok ? "ok" : "error"} in ${seconds} s`),
    redact(call.output),
  );
}

/**
 * What every text the run writes out passes through: the run's secrets and credential shapes
 * removed, and anything that reads as one of the App's hidden markers made inert, since the model
 * wrote much of it (issue #13, items 2 and 4).
 */
function outgoingText(redactor: Redactor): Redactor {
  return (text) => neutraliseMarkers(redactor(text));
}

/** Steps 4–8 of the design for one task. Never throws for task failures: they end in the status comment. */
export async function executeTask(settings: Settings, runDeps: RunDeps): Promise<TaskOutcome> {
  const deps = { ...runDeps, log: neutralisedLog(runDeps.log) };
  const env = settings.env;
  const task: Task = await resolveTask(settings, deps.summary);
  const runUrl = `${env.serverUrl}/${env.repository}/actions/runs/${env.runId}`;
  // Every token this run holds is masked and redacted the moment it exists, refreshed ones too.
  const secrets: string[] = [];
  let modelKey: string | undefined;
  let redact = outgoingText(createRedactor(secrets));
  const tokens = taskTokenSource(settings.token, {
    appId: settings.appId,
    repository: `${task.repo.owner}/${task.repo.name}`,
    kind: task.kind,
    apiUrl: env.apiUrl,
    ...(deps.idToken ? { idToken: deps.idToken } : {}),
    onToken: deps.mask,
  });
  const tokenNow = async (): Promise<string> => {
    const token = await tokens.current();
    if (!secrets.includes(token)) {
      for (const secret of [token, ...gitAuth(token, env.serverUrl).secrets]) {
        deps.mask(secret);
        secrets.push(secret);
      }
      redact = outgoingText(createRedactor(modelKey ? [...secrets, modelKey] : [...secrets]));
    }
    return token;
  };
  // A token the App refuses (say, for a broken .github/agent.yml) ends the run before any status
  // comment exists: the job summary says why, where a scheduled run's owner looks.
  await tokenNow().catch(async (error: unknown) => {
    await deps.summary
      ?.addHeading("inhouse: nothing was run", 2)
      .addRaw(`**${neutraliseForLog(messageOf(error))}**`, true)
      .write()
      .catch(() => undefined);
    throw error;
  });
  const auth = gitAuth(await tokenNow(), env.serverUrl);
  const gh = deps.github(await tokenNow(), env.apiUrl);
  if (!("githubToken" in settings.token)) {
    gh.hook.before("request", async (options) => {
      options.headers.authorization = `token ${await tokenNow()}`;
    });
  }
  // Before anything is written or saved for the post step: a forged task must not touch any comment.
  const authentic = await authenticateTask(gh, task, {
    appId: settings.appId,
    run: { event: env.event, triggeringActor: env.triggeringActor },
    now: new Date(),
  });
  if (!authentic.ok) throw new NotDispatchedByApp(authentic.reason);
  // Bodies over GitHub's 65,536 characters are cut; the whole texts go to the job summary and audit log.
  const bodies = new LongBodies(runUrl);
  const status = new StatusComment({
    gh,
    task,
    runUrl,
    run: env.runId > 0 && env.repository ? { id: env.runId, repo: env.repository, url: runUrl } : undefined,
    ...(authentic.runner ? { runner: authentic.runner } : {}),
    turnThrottleMs: settings.statusIntervalMs,
    minGapMs: settings.statusIntervalMs,
    redact: (text) => redact(text),
    fit: bodies.fit,
    warn: deps.log.warning,
  });
  const state: SavedState = { statusCommentId: task.statusCommentId, finished: false };
  const save = () =>
    deps.saveState(STATE_KEY, JSON.stringify({ ...state, statusCommentId: status.commentId }));
  save();

  const clock = new PhaseClock();
  const repo = { owner: task.repo.owner, name: task.repo.name };
  const outcome: TaskOutcome = { state: "failed", message: "", verification: "not-run", tokens: 0 };
  let sandbox: Sandbox | undefined;
  let workRoot: string | undefined;
  let result: AgentResult | undefined;
  let link: string | undefined;
  let spend: { profile?: string; price?: ModelPrice } = {};
  // The usage record the final status marker carries into the App's run history.
  const usage = async () =>
    usageRecord({
      ...(result ? { result } : {}),
      state: outcome.state,
      phases: clock.list(),
      ...spend,
      ...(link ? { link } : {}),
      ...(outcome.prNumber ? { prNumber: outcome.prNumber } : {}),
      ...(await sandbox
        ?.egressReport?.()
        .then((egress) => ({ egress }))
        .catch(() => ({}))),
      runner: env.runnerName,
    });
  const auditPath = auditLogPath(settings.auditDir, task, env.runId);

  try {
    clock.start("provisioning");
    // Only this first write is awaited (it may create the comment, whose id is saved); later phases
    // go out in the background and a phase superseded before its turn is never sent (`StatusComment`).
    await status.phase(`provisioning on ${env.runnerName}: checking permission and reading the thread`);
    save();
    const { defaultBranch, config, limits, model, text, pr } = await readRequest(
      gh,
      task,
      settings,
      deps,
      authentic.runner,
    );
    modelKey = model.apiKey;
    redact = outgoingText(createRedactor([...secrets, modelKey]));
    spend = { profile: config.model.profile, ...(model.price ? { price: model.price } : {}) };
    if (limits.agent.maxCost !== undefined && !model.price) {
      throw new Error(
        `the runner caps a task's cost (max-task-cost) but model profile '${config.model.profile}' has no price; add price: { prompt, completion } (per million tokens) to it in the profiles file`,
      );
    }

    clock.start("preparing the workspace");
    void status.phase("provisioning: preparing the workspace");
    const plan = planWorkspace(task, config, defaultBranch, text.title, pr);
    workRoot = await mkdtemp(join(env.runnerTemp, "inhouse-work-"));
    const workspace = await prepareWorkspace({
      cacheDir: settings.cacheDir,
      dir: join(workRoot, repo.name),
      owner: repo.owner,
      name: repo.name,
      remoteUrl: deps.remoteUrl(repo.owner, repo.name),
      auth,
      plan,
      triggeredAt: new Date(task.trigger.at),
    });

    clock.start("starting the sandbox");
    void status.phase("provisioning: starting the sandbox");
    sandbox = await deps.createSandbox({
      image: limits.image,
      ...(limits.runtime ? { runtime: limits.runtime } : {}),
      // Created under the setup profile; the loop moves it to the agent profile after setup.
      network: limits.network.setup,
      allowlist: limits.allowlist,
      internalRanges: limits.internalRanges,
      memoryMb: limits.memoryMb,
      cpus: limits.cpus,
      pids: limits.pids,
      taskId: `${task.kind}-${task.number ?? task.automation}-${env.runId}`
        .replace(/[^A-Za-z0-9_.-]/g, "-")
        .slice(0, 64),
      labels: { "inhouse.repo": `${repo.owner}/${repo.name}`, "inhouse.run": String(env.runId) },
      caBundlePath: settings.caBundlePath,
    });
    state.containerId = sandbox.containerId;
    save();
    await sandbox.seed(workspace.dir);

    clock.start("working");
    void status.phase(`working: turn 1 of ${limits.agent.turns}`);
    await mkdir(dirname(auditPath), { recursive: true });
    const onProgress = (event: AgentProgress) => {
      if (event.phase === "turn") void status.turn(event.turn, event.maxTurns);
      else if (event.phase === "writing")
        void status.turn(
          event.turn,
          event.maxTurns,
          `the model is writing (${event.chars} characters so far)`,
        );
      else if (event.phase === "setup") void status.phase(`provisioning: running setup \`${event.command}\``);
      else if (event.phase === "tool") logToolCall(deps.log, event, redact);
      else if (event.phase === "verifying") {
        clock.start("verifying");
        void status.phase(`verifying: running \`${event.command}\``);
      }
    };
    const mcpServers = taskMcpServers(config, task);
    const remoteMcp = Object.keys(mcpServers).length > 0 ? ((await deps.remoteMcpServers?.()) ?? {}) : {};
    const mcpSecrets = Object.values(remoteMcp).flatMap((server) => Object.values(server.headers));
    for (const secret of mcpSecrets) deps.mask(secret);
    const agentSecrets = [...secrets, model.apiKey, ...mcpSecrets].filter(Boolean);
    const agentSandbox = sandbox;
    result = await deps.runAgent({
      sandbox,
      model,
      task: text,
      commands: { setup: config.commands.setup, test: config.commands.test, lint: config.commands.lint },
      limits: limits.agent,
      secrets: agentSecrets,
      ...(Object.keys(mcpServers).length > 0
        ? {
            openMcp: (onEvent) =>
              openMcpServers({
                servers: mcpServers,
                remote: remoteMcp,
                sandbox: agentSandbox,
                secrets: agentSecrets,
                onEvent,
              }),
          }
        : {}),
      auditPath,
      onProgress,
      network: limits.network,
      signal: deps.signal,
    });
    outcome.tokens = result.tokens.total;
    outcome.verification = result.verification
      ? result.verification.passed
        ? "passed"
        : "failed"
      : "not-run";
    if (deps.signal?.aborted) throw new Cancelled();
    if (result.outcome === "failed") throw new Error(`the agent stopped: ${result.reason}`);

    clock.start("publishing");
    void status.phase("publishing");
    const published = await publishResult({
      gh,
      task,
      config,
      text,
      pr,
      result,
      runUrl,
      redact,
      fit: bodies.fit,
      change: {
        dir: workspace.dir,
        plan,
        defaultBranch,
        // A fresh token for the push: the clone's may be close to its hour.
        auth: gitAuth(await tokenNow(), env.serverUrl),
        settings,
        author: () => commitAuthor(gh, task, settings.author, deps.log.warning, authentic.statusAuthor),
        diff: () => sandbox!.diff(),
        // GitHub's commit API can only commit where the clone came from GitHub itself.
        commitThroughApi: deps.remoteUrl(repo.owner, repo.name).startsWith(`${env.serverUrl}/`),
        remoteUrl: deps.remoteUrl,
      },
    });
    link = published.link;
    outcome.message = published.message;
    outcome.prNumber = published.prNumber;
    outcome.prUrl = published.prUrl;
    outcome.message = await withBlockedHosts(outcome.message, sandbox);
    outcome.state = "succeeded";
    clock.stop();
    await status.finish("succeeded", outcome.message, await usage());
  } catch (error) {
    const phase = clock.currentPhase ?? "starting";
    clock.stop();
    if (error instanceof Cancelled || deps.signal?.aborted) {
      outcome.state = "cancelled";
      outcome.message = "cancelled: the workflow run was cancelled, so nothing was published";
      await status.finish("cancelled", outcome.message, await usage());
    } else if (error instanceof Refusal) {
      outcome.state = "refused";
      outcome.message = `refused: ${error.message}`;
      await status.finish("refused", outcome.message, await usage());
    } else {
      outcome.state = "failed";
      outcome.message = await withBlockedHosts(
        `failed while ${phase}: ${explainGitHubError(error) ?? messageOf(error)}`,
        sandbox,
      );
      await status.finish(
        "failed",
        `${outcome.message}\n\nNothing was pushed under a misleading name. Fix the cause above and run the command again; the workflow run has the full log.`,
        await usage(),
      );
    }
  } finally {
    // The message goes to the log, the job summary and the step output: redacted on every path.
    outcome.message = neutraliseForLog(redact(outcome.message));
    state.finished = status.isFinished;
    if (sandbox) {
      await sandbox
        .destroy()
        .catch((error) => deps.log.warning(`could not remove the sandbox: ${messageOf(error)}`));
      state.containerId = undefined;
    }
    save();
    if (workRoot) await rm(workRoot, { recursive: true, force: true });
    await status.flush();
    recordCutTexts(auditPath, secrets, bodies.cut);
    if (deps.summary) {
      await writeJobSummary(deps.summary, {
        title: `${task.kind === "automation" ? `automation ${task.automation}` : task.kind}${task.number ? ` #${task.number}` : ""} in ${repo.owner}/${repo.name}`,
        outcome: outcome.message,
        phases: clock.list(),
        ...(result ? { result: { ...result, reason: redact(result.reason) } } : {}),
        link,
        auditPath,
        cut: bodies.cut,
      }).catch((error) => deps.log.warning(`could not write the job summary: ${messageOf(error)}`));
    }
  }
  return outcome;
}

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AuditEvent } from "../../../action/agent/audit-log.ts";
import type { IssueRecord, RepoRecord } from "../local-github/state.ts";
import { watchSandboxes } from "./sandbox-events.ts";
import { statusComments } from "./system-assertions.ts";
import type { WholeSystem } from "./whole-system.ts";

/** What a person watching scenario 1 sees happen, in order; `at` is Date.now() when it was seen. */
export interface PhaseEvent {
  at: number;
  phase: string;
  text: string;
}

export interface PhaseWatch {
  events: PhaseEvent[];
  /** Stops watching after one last look, so nothing that already happened is missed. */
  stop(): Promise<void>;
}

const TERMINAL = new Set(["succeeded", "failed", "refused", "cancelled"]);
const POLL_MS = 20;
const short = (text: string, max = 90) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Watches one scenario through what each piece records (the local GitHub's requests, deliveries,
 * runs, pushes and pulls, the action's audit log, Docker's container events) and reports each
 * phase as it happens. Watching only reads: it changes nothing the scenario does.
 */
export function watchScenario(
  system: WholeSystem,
  repo: RepoRecord,
  issue: IssueRecord,
  emit: (event: PhaseEvent) => void = () => {},
): PhaseWatch {
  const { github } = system;
  const events: PhaseEvent[] = [];
  let live = true;
  const report = (phase: string, text: string) => {
    const event = { at: Date.now(), phase, text };
    events.push(event);
    emit(event);
  };
  // Only what happens from now on: a system may have run scenarios before this one.
  const seen = {
    deliveries: github.deliveries().length,
    requests: github.requests().length,
    pushes: github.pushes().length,
    pulls: github.pulls(repo).length,
  };
  const auditLines = new Map<string, number>();
  const runStatus = new Map(github.state.runs.map((run) => [run.id, run.status as string]));
  const statusText = new Map<number, string>();
  github.onDispatch((run) => {
    if (live) report("workflow dispatched", `run ${run.id} of ${run.workflowFile} ("${run.displayTitle}")`);
  });

  const look = async () => {
    // The audit log first: what the action recorded happened before the status it then posted.
    await readAudit();
    // A delivery is recorded when it is sent; it is reported once the App has answered, in order.
    for (const d of github.deliveries().slice(seen.deliveries)) {
      if (d.status === "not sent") break;
      report("webhook delivered", `${d.event}.${d.action} → the App answered ${d.status}`);
      seen.deliveries++;
    }
    for (const r of github.requests().slice(seen.requests)) {
      if (r.route?.endsWith("/collaborators/{username}/permission")) {
        const who = github.state.runs.length === 0 ? "the App's gate" : "the action";
        const level = (r.body as { permission?: string } | undefined)?.permission;
        report(
          "permission checked",
          `by ${who}: ${r.path.split("/").at(-2)} → ${r.status}${level ? ` ${level}` : ""}`,
        );
      }
    }
    seen.requests = github.requests().length;
    for (const run of github.state.runs) {
      if (runStatus.get(run.id) === run.status) continue;
      runStatus.set(run.id, run.status);
      if (run.status === "in_progress")
        report("runner started", `run ${run.id} on ${system.runner.runnerName}: node action/dist/main.js`);
      if (run.status === "completed") report("run completed", `run ${run.id}: ${run.conclusion}`);
    }
    for (const status of statusComments(system, issue)) {
      const before = statusText.get(status.comment.id);
      if (before === status.text) continue;
      statusText.set(status.comment.id, status.text);
      const line = short(status.text.split("\n")[0] ?? "");
      if (TERMINAL.has(status.marker.state))
        report("status comment final", `[${status.marker.state}] ${status.text}`);
      else report(before === undefined ? "status comment posted" : "status comment updated", line);
    }
    for (const p of github.pushes().slice(seen.pushes)) {
      report(
        "branch pushed",
        `${p.ref} ${p.before.slice(0, 7)}..${p.after.slice(0, 7)}${p.refused ? ` refused: ${p.refused}` : ""}`,
      );
    }
    seen.pushes = github.pushes().length;
    for (const pull of github.pulls(repo).slice(seen.pulls)) {
      report("PR opened", `#${pull.number} "${pull.title}" ${pull.pull.headRef} → ${pull.pull.baseRef}`);
    }
    seen.pulls = github.pulls(repo).length;
  };

  const readAudit = async () => {
    const files = await readdir(system.auditDir).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith(".jsonl"))) {
      const text = await readFile(join(system.auditDir, file), "utf8");
      // Whole lines only: a line being appended is read on the next look.
      const lines = text
        .slice(0, text.lastIndexOf("\n") + 1)
        .split("\n")
        .filter(Boolean);
      for (const line of lines.slice(auditLines.get(file) ?? 0)) reportAudit(JSON.parse(line) as AuditEvent);
      auditLines.set(file, lines.length);
    }
  };
  const reportAudit = (event: AuditEvent) => {
    if (event.type === "tool_call") {
      const args = short(event.arguments, 60);
      report(
        "model turn",
        `turn ${event.turn}: ${event.name}(${args}) → ${event.ok ? "ok" : "error"} in ${event.durationMs} ms`,
      );
    } else if (event.type === "verification") {
      report(
        "verification",
        `\`${event.command}\` ${event.passed ? "passed" : "FAILED"} (exit ${event.exitCode})`,
      );
    } else if (event.type === "setup") {
      report("setup", `\`${event.command}\` exit ${event.exitCode} in ${event.durationMs} ms`);
    }
  };

  const stopDocker = watchSandboxes(
    `${system.owner}/${repo.name}`,
    (phase, text) => live && report(phase, text),
  );
  // Audit logs already on disk belong to earlier scenarios.
  let looking: Promise<void> = readdir(system.auditDir)
    .catch(() => [] as string[])
    .then(async (files) => {
      for (const file of files) {
        const text = await readFile(join(system.auditDir, file), "utf8");
        auditLines.set(file, text.split("\n").filter(Boolean).length);
      }
    });
  const timer = setInterval(() => {
    looking = looking.then(look).catch(() => {});
  }, POLL_MS);
  return {
    events,
    async stop() {
      clearInterval(timer);
      await looking;
      await look();
      live = false;
      stopDocker();
    },
  };
}

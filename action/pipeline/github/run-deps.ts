import type { AgentResult, AgentRunOptions } from "../../agent/types.ts";
import type { GitHub } from "../../github/client.ts";
import type { JobLog } from "../../job/job-log.ts";
import type { Settings } from "../../job/settings.ts";
import type { RemoteServers } from "../../mcp/remote-servers.ts";
import type { ModelSettings } from "../../model/types.ts";
import type { Sandbox, SandboxOptions } from "../../sandbox/types.ts";
import type { SummaryWriter } from "../../summary/job-summary.ts";
import type { VerificationState } from "../verify.ts";

/** What the action's task pipeline needs from the runner; `run.ts` wires the real ones, tests doubles. */
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

/** How the task ended: the action's outputs and the step's last log line. */
export interface TaskOutcome {
  state: "succeeded" | "failed" | "refused" | "cancelled";
  message: string;
  prNumber?: number;
  prUrl?: string;
  verification: VerificationState;
  tokens: number;
}

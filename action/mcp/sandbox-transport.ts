import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { SandboxProcess } from "../sandbox/spawn-process.ts";
import type { Sandbox } from "../sandbox/types.ts";

/** Stderr kept per server for the message when it dies. */
const STDERR_TAIL_CHARS = 2_000;

/**
 * The MCP stdio transport (newline-delimited JSON-RPC, the SDK's own framing) to a process inside
 * the sandbox: the SDK's `StdioClientTransport` spawns on the host, which would put the server
 * outside the sandbox's network profile and next to the runner's credentials.
 */
export class SandboxStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private process: SandboxProcess | undefined;
  private readonly buffer = new ReadBuffer();
  private stderr = "";
  private closed = false;
  exitCode: number | null | undefined;

  constructor(
    private readonly sandbox: Sandbox,
    private readonly argv: string[],
    private readonly env: Record<string, string> = {},
  ) {}

  /** The end of what the server wrote to stderr, for the message when it dies. */
  get stderrTail(): string {
    return this.stderr.trim();
  }

  async start(): Promise<void> {
    if (!this.sandbox.spawn) throw new Error("this sandbox cannot run MCP servers (no spawn)");
    const process = await this.sandbox.spawn(this.argv, { env: this.env });
    this.process = process;
    process.onStdout((chunk) => {
      this.buffer.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.buffer.readMessage();
        } catch (error) {
          this.onerror?.(error as Error);
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
    process.onStderr((chunk) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-STDERR_TAIL_CHARS);
    });
    void process.exited.then(({ exitCode }) => {
      this.exitCode = exitCode;
      this.finish();
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.process || this.closed) throw new Error("the MCP server is not running");
    this.process.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    await this.process?.stop();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.clear();
    this.onclose?.();
  }
}

/** Parses `SandboxOptions` once, at the boundary, into settings with every default filled in. */
import { z } from "zod";
import { DEFAULT_PROXY_IMAGE, parseAllowEntry, parseInternalRanges } from "./egress/index.ts";
import { SandboxError } from "./engine/errors.ts";
import { RUNTIME_NAME } from "./runtimes.ts";
import type { SandboxOptions } from "./types.ts";

export const DEFAULT_IMAGE = "inhouse-sandbox:latest";

const optionsSchema = z.object({
  image: z.string().min(1).default(DEFAULT_IMAGE),
  network: z.enum(["none", "allowlist", "open"]).default("none"),
  allowlist: z
    .array(
      z.string().refine(
        (entry) => {
          try {
            parseAllowEntry(entry);
            return true;
          } catch {
            return false;
          }
        },
        { error: "allowlist entries are host names: registry.npmjs.org, *.example.com or host:port" },
      ),
    )
    .default([]),
  internalRanges: z
    .array(z.string())
    .default([])
    .superRefine((ranges, context) => {
      try {
        parseInternalRanges(ranges);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  runtime: z
    .string()
    .regex(
      RUNTIME_NAME,
      "runtime is a name registered with the Docker daemon, such as runsc, kata or sysbox-runc",
    )
    .optional(),
  proxyImage: z.string().min(1).default(DEFAULT_PROXY_IMAGE),
  memoryMb: z.number().int().min(64).default(2048),
  cpus: z.number().positive().max(64).default(2),
  pids: z.number().int().min(32).default(512),
  labels: z.record(z.string(), z.string()).default({}),
  taskId: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "taskId may hold letters, digits, '.', '_' and '-' (at most 64)")
    .default("adhoc"),
  caBundlePath: z.string().min(1).optional(),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "env names are shell identifiers"), z.string())
    .default({}),
  workspaceMb: z.number().int().min(16).default(4096),
  tmpMb: z.number().int().min(16).default(1024),
  defaultTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(10 * 60_000),
  killGraceMs: z.number().int().min(0).default(1000),
  maxOutputBytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
});

export type SandboxSettings = z.output<typeof optionsSchema>;

/**
 * The host's default runtime for sandboxes that name none: `INHOUSE_SANDBOX_RUNTIME` (for the CLI
 * and doctor on a host that runs everything under gVisor); unset, the Docker daemon's default.
 */
export const RUNTIME_ENV = "INHOUSE_SANDBOX_RUNTIME";

export function parseSandboxOptions(options: SandboxOptions = {}): SandboxSettings {
  const hostRuntime = process.env[RUNTIME_ENV] || undefined;
  const parsed = optionsSchema.safeParse({ ...options, runtime: options.runtime ?? hostRuntime });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SandboxError(
      "invalid-options",
      `Invalid sandbox option ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "unknown problem"}`,
    );
  }
  return parsed.data;
}

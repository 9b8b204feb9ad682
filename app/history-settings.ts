import { z } from "zod";
import { describeDatabaseUrl } from "../store/open-store.ts";

/** The run history, the dashboard and budgets, read from the environment once. */
export interface HistorySettings {
  /** PostgreSQL for teams and several App processes; else the embedded store in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  retentionDays: number;
  budgetsFile?: string;
  dashboard: {
    /** Where people reach the App; the OAuth callback is `<publicUrl>/dashboard/auth/callback`. */
    publicUrl: string;
    oauth?: { clientId: string; clientSecret: string };
    /** SESSION_SECRET, else derived from the App's private key (shared by every App process). */
    secret?: string;
  };
  /** github.com, or the GitHub Enterprise Server host and protocol. */
  gheHost?: string;
  gheProtocol: string;
}

const EnvSchema = z.object({
  DATABASE_URL: z.string().optional(),
  INHOUSE_DATA_DIR: z.string().optional(),
  INHOUSE_RETENTION_DAYS: z.coerce
    .number({ error: "INHOUSE_RETENTION_DAYS must be a number of days, e.g. 180" })
    .int("INHOUSE_RETENTION_DAYS must be a whole number of days")
    .min(1, "INHOUSE_RETENTION_DAYS must be at least 1")
    .optional(),
  INHOUSE_BUDGETS_FILE: z.string().optional(),
  PUBLIC_URL: z
    .url({ error: "PUBLIC_URL must be the App's address, e.g. https://inhouse.example.com" })
    .optional(),
  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
  SESSION_SECRET: z
    .string()
    .min(32, "SESSION_SECRET must be at least 32 characters (openssl rand -hex 32)")
    .optional(),
  GHE_HOST: z.string().optional(),
  GHE_PROTOCOL: z.enum(["http", "https"], { error: "GHE_PROTOCOL must be http or https" }).optional(),
});

export const DEFAULT_RETENTION_DAYS = 180;

export function readHistorySettings(
  env: NodeJS.ProcessEnv,
  port: number,
): { ok: true; settings: HistorySettings } | { ok: false; problems: string[] } {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => i.message) };
  const e = parsed.data;
  const problems: string[] = [];
  if (e.DATABASE_URL && !/^postgres(ql)?:\/\//.test(e.DATABASE_URL)) {
    problems.push(
      `DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/inhouse (got ${describeDatabaseUrl(e.DATABASE_URL)}); unset it to use the embedded store`,
    );
  }
  if (Boolean(e.GITHUB_CLIENT_ID) !== Boolean(e.GITHUB_CLIENT_SECRET)) {
    problems.push(
      "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET go together: set both from the App's settings page (Client ID, and a generated client secret) to turn on the dashboard's sign-in, or neither",
    );
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    settings: {
      ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
      dataDir: e.INHOUSE_DATA_DIR ?? "data",
      retentionDays: e.INHOUSE_RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS,
      ...(e.INHOUSE_BUDGETS_FILE ? { budgetsFile: e.INHOUSE_BUDGETS_FILE } : {}),
      dashboard: {
        publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ""),
        ...(e.GITHUB_CLIENT_ID && e.GITHUB_CLIENT_SECRET
          ? { oauth: { clientId: e.GITHUB_CLIENT_ID, clientSecret: e.GITHUB_CLIENT_SECRET } }
          : {}),
        ...(e.SESSION_SECRET ? { secret: e.SESSION_SECRET } : {}),
      },
      ...(e.GHE_HOST ? { gheHost: e.GHE_HOST } : {}),
      gheProtocol: e.GHE_PROTOCOL ?? "https",
    },
  };
}

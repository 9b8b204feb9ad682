import { createPrivateKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { RUNNER_REPO_PATTERN } from "../core/runner-repository.ts";

/** How the process was configured: registering the App from the browser, or serving webhooks. */
export type Settings =
  | { mode: "setup"; port: number; host?: string }
  | {
      mode: "serve";
      appId: number;
      port: number;
      host?: string;
      webhookPath: string;
      /** The App-wide default runner repository (core/runner-repository.ts); unset: none. */
      defaultRunnerRepo?: string;
    };

const EnvSchema = z.object({
  APP_ID: z.string().trim().optional(),
  PRIVATE_KEY: z.string().optional(),
  PRIVATE_KEY_PATH: z.string().optional(),
  WEBHOOK_SECRET: z.string().optional(),
  WEBHOOK_PATH: z
    .string()
    .regex(/^\//, "WEBHOOK_PATH must start with '/', e.g. /api/github/webhooks")
    .optional(),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535, "PORT must be a port number (0-65535)")
    .optional()
    .catch(() => Number.NaN),
  HOST: z.string().optional(),
  LOG_FORMAT: z.enum(["json", "pretty"], { error: "LOG_FORMAT must be json or pretty" }).optional(),
  LOG_LEVEL: z
    .enum(["trace", "debug", "info", "warn", "error", "fatal"], {
      error: "LOG_LEVEL must be one of trace, debug, info, warn, error, fatal",
    })
    .optional(),
  GHE_HOST: z
    .string()
    .regex(
      /^[A-Za-z0-9.-]+(:\d+)?$/,
      "GHE_HOST is a host name such as github.example.com, without https:// or a path",
    )
    .optional(),
  NODE_ENV: z.string().optional(),
  INHOUSE_DEFAULT_RUNNER_REPO: z
    .string()
    .trim()
    .regex(
      RUNNER_REPO_PATTERN,
      "INHOUSE_DEFAULT_RUNNER_REPO must be owner/name of the central runner repository, e.g. acme/agent-runners (check INHOUSE_DEFAULT_RUNNER_REPO)",
    )
    .optional(),
});

const blankToUndefined = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));

/**
 * Reads the environment once and turns every problem into advice, before Probot sees it (Probot would
 * log a stack trace, or fall back to the webhook secret "development").
 */
export function readSettings(
  env: NodeJS.ProcessEnv,
): { ok: true; settings: Settings } | { ok: false; problems: string[] } {
  const parsed = EnvSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => i.message) };
  const e = parsed.data;
  const problems: string[] = [];
  const port = e.PORT ?? 3000;
  if (Number.isNaN(port)) problems.push("PORT must be a port number (0-65535)");
  const host = e.HOST;
  const where = { port, ...(host ? { host } : {}) };

  if (e.APP_ID === undefined) {
    if (e.PRIVATE_KEY || e.PRIVATE_KEY_PATH || e.WEBHOOK_SECRET) {
      problems.push(
        "APP_ID is missing: set it to the App ID shown on the App's settings page (check APP_ID).",
      );
    } else if (e.NODE_ENV === "production") {
      problems.push(
        "APP_ID, PRIVATE_KEY and WEBHOOK_SECRET are not set. Set them from the App's settings page, " +
          "or start once without NODE_ENV=production to register the App from the browser (docs/app.md).",
      );
    }
    return problems.length ? { ok: false, problems } : { ok: true, settings: { mode: "setup", ...where } };
  }
  const appId = Number(e.APP_ID);
  if (!Number.isInteger(appId) || appId <= 0) {
    problems.push(
      `APP_ID must be the numeric App ID from the App's settings page, got "${e.APP_ID}" (check APP_ID).`,
    );
  }
  const keyProblem = privateKeyProblem(e.PRIVATE_KEY, e.PRIVATE_KEY_PATH);
  if (keyProblem) problems.push(keyProblem);
  if (!e.WEBHOOK_SECRET) {
    problems.push(
      "WEBHOOK_SECRET is missing: set it to the webhook secret of the App (check WEBHOOK_SECRET). " +
        "Without it every delivery would be checked against the secret 'development'.",
    );
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    settings: {
      mode: "serve",
      appId,
      ...where,
      webhookPath: e.WEBHOOK_PATH ?? "/api/github/webhooks",
      ...(e.INHOUSE_DEFAULT_RUNNER_REPO ? { defaultRunnerRepo: e.INHOUSE_DEFAULT_RUNNER_REPO } : {}),
    },
  };
}

/** The same forms Probot accepts: PEM text, PEM with `\n` escapes, base64 of the PEM, or a file path. */
function privateKeyProblem(key: string | undefined, path: string | undefined): string | undefined {
  let text = key;
  if (text === undefined) {
    if (path === undefined) {
      return "PRIVATE_KEY is missing: set PRIVATE_KEY to the .pem downloaded from the App's settings, or PRIVATE_KEY_PATH to its path (check PRIVATE_KEY).";
    }
    if (!existsSync(path))
      return `PRIVATE_KEY_PATH points at ${path}, which does not exist (check PRIVATE_KEY_PATH).`;
    text = readFileSync(path, "utf8");
  }
  const pem = text.includes("-----BEGIN")
    ? text.replaceAll("\\n", "\n")
    : Buffer.from(text, "base64").toString("utf8");
  try {
    createPrivateKey(pem);
    return undefined;
  } catch {
    return "PRIVATE_KEY is not a valid PEM private key: paste the whole .pem file (newlines or \\n escapes) or its base64 (check PRIVATE_KEY / PRIVATE_KEY_PATH).";
  }
}

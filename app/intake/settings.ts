import { readFileSync } from "node:fs";
import { z } from "zod";
import { formatErrors } from "../../core/result.ts";
import { loadYamlSafely } from "../../core/safe-yaml.ts";
import { toFieldErrors } from "../../core/zod-errors.ts";

/**
 * Outside signals that become tasks (Sentry alerts, Slack commands, the direct API), set by whoever
 * runs the App in one file (INHOUSE_INTAKE_FILE); the two signing secrets come from the environment.
 * A repository never configures any of this: it only chooses its trigger label and minimum.
 */
const repoName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/name, e.g. acme/web");
const login = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "expected a GitHub login (letters, digits, '-')");
/** `acme/web`, or `acme/*` for every repository of the owner the App is installed on. */
const repoScope = z.string().regex(/^[\w.-]+\/(?:[\w.-]+|\*)$/, "expected owner/name or owner/*");

export const IntakeFileSchema = z.strictObject({
  sentry: z
    .strictObject({
      /** Sentry project slug → the repository its errors go to, and whom the task runs for. */
      projects: z.record(z.string().min(1), z.strictObject({ repo: repoName, actor: login })),
    })
    .optional(),
  slack: z
    .strictObject({
      /** Slack user id (U…) → GitHub login; anyone else is refused. */
      users: z.record(
        z.string().regex(/^[UW][A-Z0-9]+$/, "expected a Slack user id such as U024BE7LH"),
        login,
      ),
    })
    .optional(),
  api: z
    .strictObject({
      callers: z
        .array(
          z.strictObject({
            name: z.string().min(1).max(100),
            /** SHA-256 (hex) of the bearer token: the file never holds the token itself. */
            tokenSha256: z
              .string()
              .regex(
                /^[0-9a-f]{64}$/,
                'expected the hex SHA-256 of the token: printf %s "$TOKEN" | sha256sum',
              ),
            actor: login,
            repos: z.array(repoScope).min(1),
          }),
        )
        .min(1),
    })
    .optional(),
});
export type IntakeFile = z.infer<typeof IntakeFileSchema>;

export interface IntakeSettings extends IntakeFile {
  sentrySecret?: string;
  slackSecret?: string;
}

const EXAMPLE =
  "{ sentry: { projects: { front-end: { repo: acme/web, actor: alice } } }, slack: { users: { U024BE7LH: alice } }, api: { callers: [ { name, tokenSha256, actor, repos: [acme/*] } ] } }";

/** Reads INHOUSE_INTAKE_FILE and the secrets once; every problem names the setting to fix. */
export function readIntakeSettings(
  env: NodeJS.ProcessEnv,
): { ok: true; settings: IntakeSettings | undefined } | { ok: false; problems: string[] } {
  const path = env.INHOUSE_INTAKE_FILE;
  if (!path) return { ok: true, settings: undefined };
  let raw: unknown;
  try {
    raw = loadYamlSafely(readFileSync(path, "utf8"));
  } catch (error) {
    return {
      ok: false,
      problems: [`cannot read the intake file ${path} (INHOUSE_INTAKE_FILE): ${(error as Error).message}`],
    };
  }
  const parsed = IntakeFileSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: [
        `the intake file ${path} (INHOUSE_INTAKE_FILE) is invalid (expected ${EXAMPLE}):\n${formatErrors(toFieldErrors(parsed.error))}`,
      ],
    };
  }
  const problems: string[] = [];
  const sentrySecret = env.SENTRY_CLIENT_SECRET || undefined;
  const slackSecret = env.SLACK_SIGNING_SECRET || undefined;
  if (parsed.data.sentry && !sentrySecret) {
    problems.push(
      "SENTRY_CLIENT_SECRET is missing: set it to the Client Secret of the Sentry internal integration (Settings → Developer Settings), or remove `sentry` from the intake file.",
    );
  }
  if (parsed.data.slack && !slackSecret) {
    problems.push(
      "SLACK_SIGNING_SECRET is missing: set it to the Signing Secret of the Slack app (Basic Information → App Credentials), or remove `slack` from the intake file.",
    );
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    settings: {
      ...parsed.data,
      ...(sentrySecret ? { sentrySecret } : {}),
      ...(slackSecret ? { slackSecret } : {}),
    },
  };
}

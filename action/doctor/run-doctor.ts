/** `inhouse doctor`: every check in the order a task meets the pieces, one report. */
import { readFile } from "node:fs/promises";
import type { CheckResult } from "./check.ts";
import { type DockerCheckOptions, dockerChecks } from "./docker-checks.ts";
import { type GitHubCheckOptions, githubChecks } from "./github-checks.ts";
import { type HostCheckOptions, hostChecks } from "./host-checks.ts";
import { type ModelCheckOptions, modelChecks } from "./model-checks.ts";

export interface DoctorOptions {
  docker: DockerCheckOptions;
  host: HostCheckOptions;
  model: ModelCheckOptions;
  /** Absent: GitHub is not checked (one warning says how to turn it on). */
  github?: Omit<GitHubCheckOptions, "privateKey"> & { privateKeyFile: string };
}

async function github(options: NonNullable<DoctorOptions["github"]>): Promise<CheckResult[]> {
  let privateKey: string;
  try {
    privateKey = await readFile(options.privateKeyFile, "utf8");
  } catch (error) {
    return [
      {
        group: "github",
        id: "github.installation",
        status: "fail",
        summary: `cannot read the App's private key ${options.privateKeyFile} (${(error as NodeJS.ErrnoException).code})`,
        fix: "pass --private-key-file with the PEM downloaded from the App's settings page",
        durationMs: 0,
      },
    ];
  }
  return githubChecks({ ...options, privateKey });
}

export async function runDoctor(
  options: DoctorOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CheckResult[]> {
  const results = [...(await dockerChecks(options.docker, env)), ...(await hostChecks(options.host))];
  results.push(...(await modelChecks(options.model)));
  if (options.github) results.push(...(await github(options.github)));
  else
    results.push({
      group: "github",
      id: "github",
      status: "warn",
      summary: "GitHub not checked",
      fix: "pass --repo owner/name --app-id <id> --private-key-file <pem> to check the App's permissions, the workflow and the runners",
      durationMs: 0,
    });
  return results;
}

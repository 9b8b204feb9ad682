/** `inhouse eval harvest` and `inhouse eval run`: the CLI side of action/eval. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type RepositoryExport, readRepositoryExport } from "../eval/export-format.ts";
import { exportFromGitHub } from "../eval/github-export.ts";
import { harvest } from "../eval/harvest.ts";
import { readInstancesFile, writeInstancesFile } from "../eval/instance.ts";
import { recordEvalReport } from "../eval/record-report.ts";
import { buildReport, reportMarkdown } from "../eval/report.ts";
import { runEval } from "../eval/run-eval.ts";
import type { Profile } from "../eval/run-instance.ts";
import { suggestProfile } from "../eval/suggest-profile.ts";
import { type SuggestionPull, suggestByPullRequest } from "../eval/suggest-pull-request.ts";
import { testPathClassifier } from "../eval/test-paths.ts";
import { loadModelProfiles, resolveModelProfile } from "../model/profiles.ts";
import type { ModelSettings } from "../model/types.ts";
import { repositoryRoot } from "../pipeline/local/local-repository.ts";
import { DEFAULT_IMAGE } from "../sandbox/index.ts";
import { UsageError } from "./args.ts";
import type { EvalRunArgs, HarvestArgs } from "./eval-args.ts";
import { checkDocker, checkModelEndpoint } from "./preflight.ts";
import type { CliIo } from "./run-local.ts";

async function exportFor(options: HarvestArgs, io: CliIo): Promise<RepositoryExport> {
  if (options.export) return readRepositoryExport(options.export);
  const token = io.env.GITHUB_TOKEN ?? io.env.GH_TOKEN;
  if (!token)
    throw new Error(
      "inhouse eval harvest --github needs a token in GITHUB_TOKEN (read access to issues, pull requests and contents)",
    );
  const data = await exportFromGitHub(options.github!, { token, apiUrl: options.apiUrl });
  const saved = `${options.out.replace(/\.json$/, "")}.export.json`;
  await writeFile(saved, `${JSON.stringify(data, null, 2)}\n`);
  io.stderr.write(`export saved to ${saved} (harvest again offline with --export ${saved})\n`);
  return data;
}

export async function runHarvest(options: HarvestArgs, io: CliIo): Promise<number> {
  const repo = await repositoryRoot(options.repo);
  const image = options.image ?? DEFAULT_IMAGE;
  const data = await exportFor(options, io);
  await checkDocker(image);
  const file = await harvest(data, {
    repo,
    image,
    classify: testPathClassifier(options.testPaths),
    testCommand: options.testCommand,
    testTimeoutMs: options.testTimeoutMs,
    concurrency: options.concurrency,
    onProgress: (line) => io.stderr.write(`${line}\n`),
  });
  await writeInstancesFile(options.out, file);
  const lines = [
    `${file.instances.length} instances written to ${options.out}`,
    ...file.instances.map(
      (i) =>
        `  kept    ${i.id} (PR #${i.pull}): ${i.failToPass.length} FAIL_TO_PASS, ${i.passToPass.length} PASS_TO_PASS`,
    ),
    ...file.dropped.map(
      (d) => `  dropped ${d.id}${d.pull ? ` (PR #${d.pull})` : ""}: ${d.reason.split("\n")[0]}`,
    ),
  ];
  io.stdout.write(`${lines.join("\n")}\n`);
  return file.instances.length > 0 ? 0 : 1;
}

async function profilesFor(options: EvalRunArgs, env: CliIo["env"]): Promise<Profile[]> {
  const profiles = options.profilesFile ? await loadModelProfiles(options.profilesFile) : undefined;
  if (!profiles && options.profiles.some((name) => name !== "default")) {
    throw new UsageError(
      `--profiles ${options.profiles.join(",")} names profiles: define them in a profiles file and pass --profiles-file (or INHOUSE_MODEL_PROFILES)`,
    );
  }
  const overrides: Partial<ModelSettings> = {
    baseUrl: options.baseUrl,
    model: options.model,
    apiKey: options.apiKey,
  };
  return options.profiles.map((name) => ({
    name,
    settings: resolveModelProfile(name, { profiles, env, overrides: profiles ? {} : overrides }),
  }));
}

export async function runEvalCommand(options: EvalRunArgs, io: CliIo): Promise<number> {
  const repo = await repositoryRoot(options.repo);
  const file = await readInstancesFile(options.instances);
  const profiles = await profilesFor(options, io.env);
  for (const profile of profiles) await checkModelEndpoint(profile.settings);
  const image = options.image ?? DEFAULT_IMAGE;
  await checkDocker(image);
  const summary = await runEval(file.instances, profiles, {
    repo,
    image,
    outDir: options.out,
    concurrency: options.concurrency,
    testTimeoutMs: options.testTimeoutMs,
    limits: { turns: options.turns, tokens: options.tokens, minutes: options.minutes },
    signal: io.signal,
    onProgress: (line) => io.stderr.write(`${line}\n`),
  });
  if (io.signal?.aborted) {
    io.stderr.write(
      `interrupted: ${summary.results.length} results kept in ${options.out}; run the same command again to resume\n`,
    );
    return 1;
  }
  const report = buildReport(file.repository, file.instances, options.profiles, summary.results);
  const markdown = reportMarkdown(report);
  await writeFile(join(options.out, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(options.out, "report.md"), markdown);
  io.stdout.write(markdown);
  const recorded = await recordEvalReport(report, io.env);
  if (recorded)
    io.stdout.write(`\nRecorded in the run history (${recorded}): the dashboard's models page shows it.\n`);
  if (options.suggest && options.github) {
    const token = io.env.GITHUB_TOKEN ?? io.env.GH_TOKEN;
    if (!token)
      throw new Error(
        "inhouse eval run --suggest --github needs a token in GITHUB_TOKEN (contents and pull requests: write) to open the pull request",
      );
    const pull = await suggestByPullRequest(repo, report, {
      repository: options.github,
      token,
      apiUrl: options.apiUrl,
      remote: options.remote,
    });
    io.stdout.write(`\n${suggestionPullText(pull)}\n`);
  } else if (options.suggest) {
    const suggestion = await suggestProfile(repo, report);
    io.stdout.write(
      suggestion.kind === "branch"
        ? `\nSuggested change: branch ${suggestion.branch} of ${repo} sets model.profile to ${suggestion.profile}; push it and open a pull request.\n`
        : `\nNo change suggested: ${suggestion.why}.\n`,
    );
  }
  return 0;
}

function suggestionPullText(pull: SuggestionPull): string {
  if (pull.kind === "unchanged") return `No change suggested: ${pull.why}.`;
  if (pull.kind === "already-open")
    return `A pull request suggesting ${pull.profile} is already open: #${pull.number} (${pull.url}); left as it is.`;
  return `Suggested change: pull request #${pull.number} (${pull.url}) sets model.profile to ${pull.profile} on branch ${pull.branch}; nothing changes until someone merges it.`;
}

/** The `inhouse` command line. The entry only wires process streams to `runCli`. */
import { existsSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseCliArgs, USAGE, UsageError } from "./args.ts";
import { DOCTOR_USAGE, parseDoctorArgs } from "./doctor-args.ts";
import { EVAL_USAGE, parseEvalArgs } from "./eval-args.ts";
import { runEvalCommand, runHarvest } from "./eval-command.ts";
import { type CliIo, runLocal } from "./run-local.ts";

/** Runs one command line and returns the exit code: 0 finished, 1 anything else, 2 bad usage. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    if (argv[0] === "eval") return await runEvalCli(argv.slice(1), io);
    if (argv[0] === "doctor") {
      const doctor = parseDoctorArgs(argv.slice(1), io.env, existsSync);
      if (doctor.command === "help") {
        io.stdout.write(`${DOCTOR_USAGE}\n`);
        return 0;
      }
      // Loaded only for doctor: its GitHub client and checks stay out of `inhouse run`'s start-up.
      const { runDoctor } = await import("../doctor/run-doctor.ts");
      const { formatReport, jsonReport } = await import("../doctor/format-report.ts");
      const results = await runDoctor(doctor.options, io.env);
      io.stdout.write(doctor.json ? jsonReport(results) : formatReport(results));
      return results.some((result) => result.status === "fail") ? 1 : 0;
    }
    const parsed = parseCliArgs(argv, io.env);
    if (parsed.command === "help") {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const outcome = await runLocal(parsed.options, io);
    return outcome.result.outcome === "finished" ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`inhouse: ${message}\n`);
    if (error instanceof UsageError) {
      io.stderr.write("Run `inhouse --help` for the options.\n");
      return 2;
    }
    return 1;
  }
}

async function runEvalCli(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseEvalArgs(argv, io.env);
  if (parsed.command === "eval-help") {
    io.stdout.write(`${EVAL_USAGE}\n`);
    return 0;
  }
  return parsed.command === "harvest" ? runHarvest(parsed.options, io) : runEvalCommand(parsed.options, io);
}

/** True when this file is the program (tsx, node, or the `inhouse` bin, which is a symlink). */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  const controller = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\ninhouse: stopping (Ctrl-C again to force)\n");
    controller.abort(new Error("interrupted"));
    process.once("SIGINT", () => process.exit(130));
  });
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
}

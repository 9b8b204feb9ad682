import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const STEPS = [
  ["Docker engine", "scripts/docker-engine.sh"],
  ["sandbox image", "runner-image/build.sh"],
  ["egress proxy image", "runner-image/egress-proxy/build.sh"],
] as const;

/** Runs each setup script, printing its last line; returns false (after printing why) on the first failure. */
export function prepareDocker(): boolean {
  console.log("── preparing Docker");
  for (const [what, script] of STEPS) {
    const started = Date.now();
    const result = spawnSync("bash", [script], { cwd: root, encoding: "utf8" });
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n");
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.status !== 0) {
      console.error(`${what}: FAILED (bash ${script}, exit ${result.status}); its output ends:`);
      console.error(output.slice(-15).join("\n"));
      console.error(
        "\nThe demo needs a running Docker engine. Run it as root (bash scripts/docker-engine.sh installs" +
          " docker.io and starts dockerd), or start Docker yourself so `docker info` answers, then run `npm run demo` again.",
      );
      return false;
    }
    console.log(`${what.padEnd(20)} ok in ${seconds.padStart(5)} s: ${output.at(-1) ?? ""}`);
  }
  return true;
}

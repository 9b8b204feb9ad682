import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * A stand-in for the action bundle that exercises the runner contract: it reads `INPUT_TASK` and
 * `INPUT_GITHUB-TOKEN`, masks the token, calls the API, writes an output, state and a summary,
 * and its post step reports the state it got. `task.mode`: "ok" | "fail" | "hang".
 */
const MAIN = String.raw`
const fs = require("node:fs");
const env = process.env;
const task = JSON.parse(env.INPUT_TASK);
const token = env["INPUT_GITHUB-TOKEN"];
console.log("::add-mask::" + token);
console.log("token is " + token);
fs.appendFileSync(env.GITHUB_STATE, "started<<EOF_1\nyes\nEOF_1\n");
async function comment(body) {
  const url = env.GITHUB_API_URL + "/repos/" + env.GITHUB_REPOSITORY + "/issues/" + task.number + "/comments";
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: "token " + token, "content-type": "application/json" },
    body: JSON.stringify({ body }),
  });
  if (!response.ok) throw new Error("comment failed with " + response.status);
}
(async () => {
  if (task.mode === "hang") {
    process.on("SIGINT", () => {
      console.log("::error::cancelled");
      process.exit(1);
    });
    await comment("hanging in run " + env.GITHUB_RUN_ID);
    setInterval(() => {}, 1000);
    return;
  }
  await comment("running on " + env.RUNNER_NAME + " as run " + env.GITHUB_RUN_ID + " with temp " + (env.RUNNER_TEMP ? "set" : "unset"));
  fs.appendFileSync(env.GITHUB_OUTPUT, "result<<EOF_2\ncommented\nEOF_2\n");
  fs.appendFileSync(env.GITHUB_STEP_SUMMARY, "## done\n");
  if (task.mode === "fail") {
    console.log("::error::asked to fail");
    process.exitCode = 1;
  }
})().catch((error) => {
  console.log("::error::" + error.message);
  process.exitCode = 1;
});
`;

const POST = `
const env = process.env;
const task = JSON.parse(env.INPUT_TASK);
const url = env.GITHUB_API_URL + "/repos/" + env.GITHUB_REPOSITORY + "/issues/" + task.number + "/comments";
fetch(url, {
  method: "POST",
  headers: { authorization: "token " + env["INPUT_GITHUB-TOKEN"], "content-type": "application/json" },
  body: JSON.stringify({ body: "post saw started=" + env.STATE_started }),
}).then((response) => {
  if (!response.ok) process.exitCode = 1;
});
`;

export async function writeFakeAction(dir: string): Promise<string> {
  await writeFile(join(dir, "main.js"), MAIN);
  await writeFile(join(dir, "post.js"), POST);
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "commonjs" }));
  return dir;
}

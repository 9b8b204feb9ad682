/**
 * Bulk copy of a host working tree into /workspace: one tar stream through the archive API
 * (files owned by the agent user), instead of thousands of shell writes.
 */
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import type Docker from "dockerode";
import { SandboxError } from "./engine/errors.ts";
import { WORKSPACE_DIR } from "./workspace-path.ts";

export async function putTreeArchive(container: Docker.Container, treeDir: string): Promise<void> {
  const info = await stat(treeDir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new SandboxError("seed-failed", `Cannot seed from ${treeDir}: not a directory on the host.`);
  }
  const tar = spawn(
    "tar",
    ["-C", treeDir, "--owner=1000", "--group=1000", "--numeric-owner", "-cf", "-", "."],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let tarErrors = "";
  tar.stderr.on("data", (chunk: Buffer) => {
    tarErrors += chunk.toString();
  });
  const exited = new Promise<number>((resolve) => tar.on("close", (code) => resolve(code ?? 1)));
  try {
    await container.putArchive(tar.stdout, { path: WORKSPACE_DIR });
  } catch (error) {
    tar.kill();
    throw new SandboxError("seed-failed", `Copying ${treeDir} into the sandbox failed: ${String(error)}`, {
      cause: error,
    });
  }
  const code = await exited;
  if (code !== 0) {
    throw new SandboxError("seed-failed", `tar of ${treeDir} failed (exit ${code}): ${tarErrors.trim()}`);
  }
}

/**
 * Runs after the copy: strips credentials a checkout may leave in .git/config (actions/checkout
 * persists an auth header) and makes sure there is a HEAD for diff() to compare against.
 */
export const AFTER_SEED_SCRIPT = `
cd /workspace
if [ -d .git ]; then
  for key in $(git config --local --name-only --get-regexp '(extraheader|credential|token)' 2>/dev/null); do
    git config --local --unset-all "$key"
  done
  for remote in $(git remote); do
    url=$(git remote get-url "$remote")
    clean=$(printf '%s' "$url" | sed -E 's#^(https?://)[^/@]+@#\\1#')
    [ "$url" = "$clean" ] || git remote set-url "$remote" "$clean"
  done
fi
if ! git rev-parse --verify -q HEAD >/dev/null; then
  git init -q 2>/dev/null
  git add -A
  git -c user.name=inhouse -c user.email=inhouse@localhost commit -q --allow-empty -m "inhouse: seeded tree"
fi
`;

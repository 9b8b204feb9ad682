/**
 * Which image a task's sandbox runs. The runner's `image` input is the default; a repository's
 * `sandbox.image` may only name that image or one the runner's administrator listed in
 * `allowed-images`. Otherwise a repository could run its agent in any image present on the
 * runner: the proxy image, a base image without the sandbox's user, an old toolchain, another
 * team's image with a setuid helper. Names compare after adding Docker's implicit `:latest`.
 */

/** `name` as Docker resolves it when no tag is given; digests and tags stay as written. */
export function normaliseImage(name: string): string {
  const trimmed = name.trim();
  if (trimmed.includes("@")) return trimmed;
  const lastPart = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  return lastPart.includes(":") ? trimmed : `${trimmed}:latest`;
}

/** The image to run: the runner's when the repository names none, else the repository's if allowed. */
export function allowedImage(requested: string | undefined, runnerImages: readonly string[]): string {
  const [runnerDefault] = runnerImages;
  if (!runnerDefault) throw new Error("the runner lists no sandbox image; set the action's image input");
  if (requested === undefined) return runnerDefault;
  const wanted = normaliseImage(requested);
  if (runnerImages.some((image) => normaliseImage(image) === wanted)) return requested;
  throw new Error(
    `.github/agent.yml asks for sandbox image '${requested}', which this runner does not allow (allowed: ${runnerImages.join(", ")}). ` +
      "Remove sandbox.image from the config, or ask the runner's administrator to add it to allowed-images.",
  );
}

/**
 * Which container runtime a task's sandbox runs under. The runner's `sandbox-runtime` is the
 * default (unset: the Docker daemon's default, runc); a repository's `sandbox.runtime` may only
 * name that runtime or one the administrator listed in `allowed-runtimes`, so a repository can
 * neither leave a stronger isolation the runner chose nor pick a runtime nobody vetted.
 */

/** The runtime to run under (undefined: the daemon's default), or an error that names the fix. */
export function allowedRuntime(
  requested: string | undefined,
  runtimes: { default?: string | undefined; allowed: readonly string[] },
): string | undefined {
  if (requested === undefined || requested === runtimes.default) return runtimes.default;
  if (runtimes.allowed.includes(requested)) return requested;
  const allowed = [runtimes.default ?? "the Docker default (runc)", ...runtimes.allowed];
  throw new Error(
    `.github/agent.yml asks for sandbox runtime '${requested}', which this runner does not allow (allowed: ${allowed.join(", ")}). ` +
      "Remove sandbox.runtime from the config, or ask the runner's administrator to add it to allowed-runtimes.",
  );
}

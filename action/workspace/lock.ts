import { mkdir, rm, stat } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";

const STALE_AFTER_MS = 30 * 60_000;

/**
 * Several runners on one host can share a cache directory; `mkdir` is atomic, so a directory is
 * the lock. A lock older than any task could run is taken over (its owner died).
 */
export async function withDirectoryLock<T>(
  lockDir: string,
  work: () => Promise<T>,
  waitMs = 10 * 60_000,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = await stat(lockDir).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_AFTER_MS) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${lockDir}; another task on this runner holds it. If none is running, delete that directory.`,
        );
      }
      await delay(250);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

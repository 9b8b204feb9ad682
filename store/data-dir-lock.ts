import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

export class DataDirBusyError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The embedded database is one process's: a second App on the same data directory would corrupt
 * it. The lock file holds the owner's pid; a lock left by a dead process is taken over.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, "inhouse.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new DataDirBusyError(
          `the embedded run history in ${dir} is in use by process ${owner}. Run one App process per ` +
            "INHOUSE_DATA_DIR, or set DATABASE_URL to a PostgreSQL server to run several App processes.",
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new DataDirBusyError(`could not lock ${path}; remove it if no App process is running`);
}

/**
 * Serialises work on one issue or pull request inside this process, so two deliveries arriving
 * together cannot both see "nothing running" and both dispatch. Across processes the status-comment
 * marker is the record; one app process per installation is the supported deployment.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withIssueLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(work);
  tails.set(key, current);
  try {
    return await current;
  } finally {
    if (tails.get(key) === current) tails.delete(key);
  }
}

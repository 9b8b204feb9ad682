/** Canary credentials: planted where the action keeps its secrets, searched for everywhere else. */
export const CANARY_TOKEN = "ghs_CATALOGUEcanaryToken0123456789abcdEF";
export const CANARY_MODEL_KEY = "sk-CATALOGUEcanaryModelKey0123456789abcd";
export const CANARIES = [
  CANARY_TOKEN,
  CANARY_MODEL_KEY,
  Buffer.from(`x-access-token:${CANARY_TOKEN}`).toString("base64"),
];

/** The canaries found in `text`, by a short name (never the value, so a failure does not print it). */
export function canariesIn(text: string): string[] {
  const names = ["github token", "model key", "basic-auth header"];
  return CANARIES.flatMap((canary, index) => (text.includes(canary) ? [names[index]!] : []));
}

/**
 * Plants the canaries in this process's environment the way a runner does (INPUT_* and the usual
 * names), so anything the sandbox could inherit from the action process would carry them.
 */
export function plantInProcessEnv(): () => void {
  const planted: Record<string, string> = {
    GITHUB_TOKEN: CANARY_TOKEN,
    "INPUT_GITHUB-TOKEN": CANARY_TOKEN,
    "INPUT_MODEL-API-KEY": CANARY_MODEL_KEY,
    OPENAI_API_KEY: CANARY_MODEL_KEY,
  };
  const before = Object.fromEntries(Object.keys(planted).map((name) => [name, process.env[name]]));
  Object.assign(process.env, planted);
  return () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

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

/** Runs holding the canaries planted, and what the environment held before the first of them. */
let holders = 0;
let before: Record<string, string | undefined> = {};

/**
 * Plants the canaries in this process's environment the way a runner does (INPUT_* and the usual
 * names), so anything the sandbox could inherit from the action process would carry them. Attack
 * runs may overlap: the canaries stay planted until the last one releases them, then the
 * environment is as it was before the first.
 */
export function plantInProcessEnv(): () => void {
  const planted: Record<string, string> = {
    GITHUB_TOKEN: CANARY_TOKEN,
    "INPUT_GITHUB-TOKEN": CANARY_TOKEN,
    "INPUT_MODEL-API-KEY": CANARY_MODEL_KEY,
    OPENAI_API_KEY: CANARY_MODEL_KEY,
  };
  if (holders === 0)
    before = Object.fromEntries(Object.keys(planted).map((name) => [name, process.env[name]]));
  holders += 1;
  Object.assign(process.env, planted);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders > 0) return;
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

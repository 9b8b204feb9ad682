import examples from "@octokit/webhooks-examples";

/** A webhook payload as GitHub documents it; tests edit copies freely. */
// biome-ignore lint/suspicious/noExplicitAny: example payloads are read and edited field by field
export type WebhookExample = Record<string, any>;

const all = examples as unknown as { name: string; examples: WebhookExample[] }[];

/**
 * GitHub's own example payload for `event.action` (@octokit/webhooks-examples, generated from
 * GitHub's webhook documentation), the `index`-th of that action, deep-copied.
 */
export function webhookExample(event: string, action: string, index = 0): WebhookExample {
  const found = all.find((e) => e.name === event)?.examples.filter((e) => e.action === action)[index];
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${event}.${action} example #${index}`);
  return structuredClone(found);
}

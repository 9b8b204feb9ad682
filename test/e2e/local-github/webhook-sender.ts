import { createHmac, randomUUID } from "node:crypto";
import type { WebhookPayload } from "./webhook-payloads.ts";

export interface Delivery {
  id: string;
  /** `issues`, `issue_comment`, ... (the `X-GitHub-Event` header). */
  event: string;
  action: string;
  payload: WebhookPayload;
  /** The App's answer, or the network error's message. */
  status: number | string;
}

/** Signs and POSTs webhooks to the App, the way GitHub's hookshot does. */
export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  private target: string | undefined;

  constructor(
    private readonly secret: string,
    private readonly appId: number,
  ) {}

  /** Where the App listens, e.g. `http://127.0.0.1:3000/api/github/webhooks`; undefined stops delivery. */
  setTarget(url: string | undefined): void {
    this.target = url;
  }

  get connected(): boolean {
    return this.target !== undefined;
  }

  /** Delivers (or redelivers, with `id` of an earlier delivery) one event and records the App's answer. */
  async deliver(event: string, payload: WebhookPayload, id: string = randomUUID()): Promise<Delivery> {
    const body = JSON.stringify(payload);
    const delivery: Delivery = { id, event, action: payload.action, payload, status: "not sent" };
    this.deliveries.push(delivery);
    if (!this.target) return delivery;
    const signature = `sha256=${createHmac("sha256", this.secret).update(body).digest("hex")}`;
    try {
      const response = await fetch(this.target, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/local",
          "x-github-event": event,
          "x-github-delivery": id,
          "x-github-hook-id": "1",
          "x-github-hook-installation-target-type": "integration",
          "x-github-hook-installation-target-id": String(this.appId),
          "x-hub-signature-256": signature,
        },
        body,
      });
      await response.arrayBuffer();
      delivery.status = response.status;
    } catch (error) {
      delivery.status = (error as Error).message;
    }
    return delivery;
  }
}

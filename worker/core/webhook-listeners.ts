// Features that read a provider's app-level webhook deliveries beside the sync engine (the inbox
// takes Meta's comment changes). Called with the raw body only after its signature was checked.
import type { Ctx } from "./context";

export type WebhookListener = (ctx: Ctx, rawBody: Uint8Array) => Promise<number>;

const listeners = new Map<string, WebhookListener[]>();

export function registerWebhookListener(provider: string, fn: WebhookListener) {
  const list = listeners.get(provider) ?? [];
  if (!list.includes(fn)) list.push(fn);
  listeners.set(provider, list);
}

export const webhookListenersOf = (provider: string): WebhookListener[] => listeners.get(provider) ?? [];

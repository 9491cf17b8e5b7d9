import Stripe from "stripe";
import { readConfig } from "../../env";
import { sandboxUrlOf } from "../runtime";

/** The key and signing secret the sandbox accepts (local development and tests only). */
export const SANDBOX_STRIPE = { secretKey: "sk_test_qweb_platform_sandbox", webhookSecret: "whsec_qweb_sandbox" } as const;
/** Stripe's default signature tolerance: a delivery signed more than 5 minutes ago is refused. */
export const SIGNATURE_TOLERANCE_S = 300;

/**
 * The official SDK over fetch (Workers have no Node http). With the sandbox in use it is pointed
 * at it by host/port/protocol, so every call is real HTTP in Stripe's REST shapes.
 */
export function stripeClient(env: Env, secretKey: string): Stripe {
  const base = { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 2, timeout: 20_000 } as const;
  const sandbox = sandboxUrlOf(env);
  if (!sandbox) return new Stripe(secretKey, base);
  const u = new URL(sandbox);
  return new Stripe(secretKey, { ...base, host: u.hostname, port: Number(u.port || (u.protocol === "https:" ? 443 : 80)), protocol: u.protocol === "https:" ? "https" : "http" });
}

/** QWEB's own Stripe account: Worker secrets, else the sandbox's in local mode; null when billing is off. */
export function platformStripe(env: Env): { secretKey: string; webhookSecret: string } | null {
  const { STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret } = readConfig(env);
  if (secretKey && webhookSecret) return { secretKey, webhookSecret };
  return sandboxUrlOf(env) ? { ...SANDBOX_STRIPE } : null;
}

/**
 * Verifies a delivery's Stripe-Signature over the raw body with Web Crypto (the synchronous
 * constructEvent cannot run in workerd) and parses it; throws on a bad or stale signature.
 */
export async function verifyStripeEvent(env: Env, raw: string, signature: string, secret: string): Promise<Stripe.Event> {
  const stripe = stripeClient(env, "sk_test_verify_only");
  return stripe.webhooks.constructEventAsync(raw, signature, secret, SIGNATURE_TOLERANCE_S, Stripe.createSubtleCryptoProvider());
}

export type { Stripe };

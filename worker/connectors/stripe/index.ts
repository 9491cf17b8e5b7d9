export { platformStripe, SANDBOX_STRIPE, SIGNATURE_TOLERANCE_S, stripeClient, verifyStripeEvent } from "./client";
export type { Stripe } from "./client";

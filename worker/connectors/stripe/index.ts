export { platformStripe, SANDBOX_STRIPE, SIGNATURE_TOLERANCE_S, stripeClient, verifyStripeEvent } from "./client";
export { isMissing, stripeApiError, withStripe } from "./errors";
export type { Stripe } from "./client";

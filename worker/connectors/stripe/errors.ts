import Stripe from "stripe";
import { ApiError } from "../../lib/errors";

/** A Stripe "No such …" answer (404 resource_missing) naming `param` (e.g. "customer"), if that is what `e` is. */
export function isMissing(e: unknown, param?: string): boolean {
  if (!(e instanceof Stripe.errors.StripeError)) return false;
  if (e.code !== "resource_missing" && e.statusCode !== 404) return false;
  return !param || e.param === param || e.param === "id" || String(e.message).includes(`No such ${param}`);
}

/**
 * Stripe's errors in the common error shape: Stripe down, slow or failing → 503/502 with a sentence;
 * a refused key → 503 (the deployment's configuration, not the user's request); anything else Stripe
 * refused → 502 (QWEB sent something Stripe would not take; the user cannot fix it). Callers map the
 * errors a user can act on (a missing customer…) to a 4xx before falling back to this.
 */
export function stripeApiError(e: unknown, opts: StripeErrorOpts = {}): unknown {
  if (e instanceof ApiError || !(e instanceof Stripe.errors.StripeError)) return e;
  return Object.assign(mapped(e, opts), { cause: e });
}

/** `keyRefused`: the sentence when Stripe refuses the key (whose key it is differs: QWEB's own, an agency's). */
export type StripeErrorOpts = { keyRefused?: string };

function mapped(e: InstanceType<typeof Stripe.errors.StripeError>, opts: StripeErrorOpts): ApiError {
  const ref = e.requestId ? ` (Stripe request ${e.requestId})` : "";
  if (e instanceof Stripe.errors.StripeConnectionError) return new ApiError("UNAVAILABLE", "Stripe could not be reached; try again in a minute");
  if (e instanceof Stripe.errors.StripeRateLimitError) return new ApiError("UNAVAILABLE", "Stripe is busy right now; try again in a minute", { headers: { "retry-after": "60" } });
  if (e instanceof Stripe.errors.StripeAuthenticationError || e instanceof Stripe.errors.StripePermissionError)
    return new ApiError("UNAVAILABLE", opts.keyRefused ?? "Billing is not set up correctly on this deployment (Stripe refused its key); the operators have to fix it");
  if ((e.statusCode ?? 500) >= 500 || e instanceof Stripe.errors.StripeAPIError) return new ApiError("BAD_GATEWAY", `Stripe failed to answer${ref}; try again in a minute`);
  return new ApiError("BAD_GATEWAY", `Stripe refused the request: ${e.message}${ref}`);
}

/** Runs Stripe calls and rethrows Stripe's errors in the common error shape. */
export async function withStripe<T>(run: () => Promise<T>, opts: StripeErrorOpts = {}): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw stripeApiError(e, opts);
  }
}

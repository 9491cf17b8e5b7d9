import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../core/context";
import { ApiError } from "../lib/errors";

/**
 * CSRF defence for the routes the refresh cookie authenticates (refresh, logout). A browser sends
 * `Origin` on every cross-origin POST: one that is not APP_URL's (or is "null") is refused. With
 * no Origin the caller is a non-browser client (no cookie jar to abuse) or an old browser, which
 * the cookie's SameSite attribute covers; `Sec-Fetch-Site: cross-site` is refused all the same.
 */
export const requireAppOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header("origin");
  const expected = new URL(c.var.config.APP_URL).origin;
  const crossSite = origin === undefined ? c.req.header("sec-fetch-site") === "cross-site" : origin !== expected;
  if (crossSite) throw new ApiError("FORBIDDEN", "This request must come from the QWEB app itself");
  await next();
};

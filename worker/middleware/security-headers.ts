import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../core/context";

// No third-party origin anywhere: scripts, styles, images, fonts and connections are same-origin.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** P10: HTTPS everywhere. Plain-http requests outside local development are redirected. */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  const forwardedProto = c.req.header("x-forwarded-proto");
  const isHttp = url.protocol === "http:" || forwardedProto === "http";
  if (isHttp && !LOCAL_HOSTS.has(url.hostname)) {
    url.protocol = "https:";
    return c.redirect(url.toString(), 308);
  }
  await next();
  const h = c.res.headers;
  h.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload");
  h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  h.set("X-Content-Type-Options", "nosniff");
  h.set("Referrer-Policy", "strict-origin-when-cross-origin");
  h.set("X-Frame-Options", "DENY");
  h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  h.set("Cross-Origin-Opener-Policy", "same-origin");
  if (!h.has("Cache-Control")) h.set("Cache-Control", "no-store");
};

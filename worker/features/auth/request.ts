import type { Context } from "hono";
import type { AppEnv } from "../../core/context";

export const requestMeta = (c: Context<AppEnv>) => ({ ip: c.var.clientIp, userAgent: c.req.header("user-agent") });

// Drizzle puts bound parameters (hashes, emails) into its message; its cause (D1's error) has none.
const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${(err.cause instanceof Error ? err.cause : err).message}` : "error");

/** Work that must not delay (or time) the response; failures are logged without their payload. */
export const inBackground = (c: Context<AppEnv>) => (work: Promise<unknown>) =>
  c.executionCtx.waitUntil(
    work.catch((err) =>
      console.error(JSON.stringify({ level: "error", event: "background-failed", requestId: c.var.requestId, error: errorText(err) })),
    ),
  );

export const bearerOf = (c: Context<AppEnv>) => {
  const header = c.req.header("authorization");
  return header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
};

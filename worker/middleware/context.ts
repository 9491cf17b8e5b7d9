import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../core/context";
import { readConfig } from "../env";
import { createDb } from "../db/client";

/** Per-request services: request id, validated config, the Drizzle client, the client IP, and `ctx` of them all. */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const requestId = crypto.randomUUID();
  c.set("requestId", requestId);
  const config = readConfig(c.env);
  const db = createDb(c.env.DB);
  c.set("config", config);
  c.set("db", db);
  c.set("ctx", { db, config, env: c.env, now: Date.now(), requestId });
  c.set("clientIp", c.req.header("cf-connecting-ip") ?? c.req.header("x-real-ip") ?? "127.0.0.1");
  await next();
  c.res.headers.set("X-Request-Id", requestId);
};

import { Hono } from "hono";
import type { RouterRoute } from "hono/types";
import type { AppEnv } from "../../core/context";
import { doc } from "../../lib/validate";
import { buildOpenApi } from "./service";

const isDevPath = (path: string) => path.startsWith("/api/dev/");

/**
 * GET /openapi.json for the app that mounts it. Built on first request (every route is registered
 * by then) and kept for the isolate's lifetime.
 */
export function openApiRoutes(source: { routes: RouterRoute[] }, isPublic: (path: string) => boolean) {
  let cached: string | undefined;
  return new Hono<AppEnv>().get(
    "/openapi.json",
    doc({ summary: "This OpenAPI 3.1 document", tags: ["meta"], public: true }),
    (c) => {
      cached ??= JSON.stringify(buildOpenApi(source.routes, isPublic, isDevPath));
      return c.body(cached, 200, { "content-type": "application/json; charset=utf-8" });
    },
  );
}

import type { Hono } from "hono";
import { generateSpecs } from "hono-openapi";
import type { AppEnv } from "../../core/context";

type Json = Record<string, any>;

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "requestId"],
      properties: {
        code: { type: "string", examples: ["VALIDATION_FAILED", "NOT_FOUND"] },
        message: { type: "string" },
        requestId: { type: "string" },
        details: {},
      },
    },
  },
};

/** The OpenAPI 3.1 document of every /api route but the local-only /api/dev ones, from their doc() and validators. */
export async function buildDocument(app: Hono<AppEnv>) {
  const spec = (await generateSpecs(app, {
    documentation: {
      info: { title: "QWEB API", version: "1.0.0", description: "Marketing automation for agencies and the businesses they serve." },
      security: [{ bearerAuth: [] }],
      components: {
        securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
        schemas: { Error: errorSchema as never },
        responses: {
          Error: { description: "Error in the common shape", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
        },
      },
    },
    exclude: [/^\/api\/dev(\/|$)/],
    // /api/openapi.json itself looks like a static file to hono-openapi's default filter.
    excludeStaticFile: false,
    // The 4XX response (the common error shape) covers validation failures.
    defaultValidationErrorResponse: false,
  })) as Json;
  const tags = new Set<string>();
  for (const ops of Object.values<Json>(spec.paths)) for (const op of Object.values<Json>(ops)) for (const t of op.tags ?? []) tags.add(t);
  return { ...spec, tags: [...tags].map((name) => ({ name })) };
}

/** `/api/orgs/:orgId/members/:userId{[a-z]+}` → `/api/orgs/{orgId}/members/{userId}`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, "{$1}");
export const pathParams = (path: string) => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);

/** Every API endpoint once (method + path); `ALL` entries are `use()` middleware, not endpoints. */
export function apiRoutes(routes: readonly { method: string; path: string }[]) {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of routes) if (r.method !== "ALL" && r.path.startsWith("/api/")) seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  return [...seen.values()];
}

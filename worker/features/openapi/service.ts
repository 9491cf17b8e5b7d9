import type { RouterRoute } from "hono/types";
import { COMPOSED_HANDLER } from "hono/utils/constants";
import { z } from "zod";
import { routeDocs, validatorSchemas, type RouteDoc } from "../../lib/validate";

type Json = Record<string, unknown>;
export type ApiRoute = { method: string; path: string; handlers: Function[] };

/** Every API route once (method + path), with the handlers registered for it, in registration order. */
export function apiRoutes(routes: RouterRoute[]): ApiRoute[] {
  const byKey = new Map<string, ApiRoute>();
  for (const r of routes) {
    // `ALL` entries are `use()` middleware; they are not endpoints.
    if (r.method === "ALL" || !r.path.startsWith("/api/")) continue;
    const key = `${r.method} ${r.path}`;
    const entry = byKey.get(key) ?? { method: r.method, path: r.path, handlers: [] };
    const h = r.handler as Function & { [COMPOSED_HANDLER]?: Function };
    entry.handlers.push(h[COMPOSED_HANDLER] ?? h);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

/** `/api/orgs/:orgId/members/:userId{[a-z]+}` → `/api/orgs/{orgId}/members/{userId}`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, "{$1}");
export const pathParams = (path: string) => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);

const ERROR_REF = { $ref: "#/components/responses/Error" };

/** zod v4 → JSON Schema 2020-12 (OpenAPI 3.1's dialect); `$defs` are hoisted into components. */
function toSchema(schema: z.ZodType, io: "input" | "output", defs: Json): Json {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
  delete out.$schema;
  if (out.$defs) {
    Object.assign(defs, out.$defs);
    delete out.$defs;
  }
  return JSON.parse(JSON.stringify(out).replaceAll('"#/$defs/', '"#/components/schemas/'));
}

function operation(route: ApiRoute, isPublic: (path: string) => boolean, defs: Json) {
  const meta: RouteDoc | undefined = route.handlers.map((h) => routeDocs.get(h)).find(Boolean);
  const inputs = route.handlers.map((h) => validatorSchemas.get(h)).filter((v) => v !== undefined);
  const input = (target: string) => inputs.find((v) => v.target === target)?.schema;

  const paramSchema = input("param") ? toSchema(input("param")!, "input", defs) : undefined;
  const paramProps = (paramSchema?.properties ?? {}) as Record<string, Json>;
  const parameters: Json[] = pathParams(route.path).map((name) => ({
    name,
    in: "path",
    required: true,
    schema: paramProps[name] ?? { type: "string" },
  }));
  const query = input("query");
  if (query) {
    const qs = toSchema(query, "input", defs);
    const required = new Set((qs.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((qs.properties ?? {}) as Record<string, Json>)) {
      parameters.push({ name, in: "query", required: required.has(name), schema });
    }
  }
  const body = input("json");
  const status = String(meta?.status ?? (route.method === "DELETE" ? 204 : 200));
  const success: Json = { description: status === "204" ? "No content" : "Success" };
  if (meta?.response) success.content = { "application/json": { schema: toSchema(meta.response, "output", defs) } };
  // doc({ public }) is exact; the path prefixes are only a fallback (some /api/auth/ routes take a bearer token).
  const open = meta ? meta.public === true : isPublic(route.path);

  return {
    operationId: `${route.method.toLowerCase()}${openApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? "").toUpperCase())}`,
    summary: meta?.summary ?? `${route.method} ${route.path}`,
    ...(meta?.description ? { description: meta.description } : {}),
    tags: meta?.tags ?? ["other"],
    ...(open ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(body, "input", defs) } } } } : {}),
    responses: { [status]: success, "4XX": ERROR_REF, "5XX": ERROR_REF },
  };
}

/** The OpenAPI 3.1 document of every registered /api route, generated from the routes' own zod schemas. */
export function buildOpenApi(routes: RouterRoute[], isPublic: (path: string) => boolean, skip: (path: string) => boolean = () => false) {
  const defs: Json = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of apiRoutes(routes)) {
    if (skip(route.path)) continue;
    const p = (paths[openApiPath(route.path)] ??= {});
    p[route.method.toLowerCase()] = operation(route, isPublic, defs);
  }
  const tags = [...new Set(Object.values(paths).flatMap((p) => Object.values(p).flatMap((o) => (o as { tags: string[] }).tags)))];
  return {
    openapi: "3.1.0",
    info: { title: "QWEB API", version: "1.0.0", description: "Marketing automation for agencies and the businesses they serve." },
    tags: tags.map((name) => ({ name })),
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        ...defs,
        Error: {
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
        },
      },
      responses: {
        Error: { description: "Error in the common shape", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      },
    },
  };
}

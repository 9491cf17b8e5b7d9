import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { ApiError } from "./errors";

type Target = keyof ValidationTargets;

/** Route metadata read by the OpenAPI generator, keyed by the middleware function itself. */
export type RouteDoc = {
  summary: string;
  description?: string;
  tags?: string[];
  public?: boolean;
  /** Success status; defaults to 204 for DELETE and 200 otherwise. */
  status?: number;
  response?: z.ZodType;
};
export const validatorSchemas = new WeakMap<Function, { target: Target; schema: z.ZodType }>();
export const routeDocs = new WeakMap<Function, RouteDoc>();

/**
 * zod validation for one request part; failures answer 400 in the common error shape.
 * The schema is recorded so that /api/openapi.json is generated from the same schemas.
 */
export function validate<T extends z.ZodType, K extends Target>(target: K, schema: T) {
  const mw = zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new ApiError("VALIDATION_FAILED", `Invalid ${target}: ${result.error.issues[0]?.message ?? "invalid input"}`, {
        details: result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code })),
      });
    }
    const bad = illFormedPath(result.data);
    if (bad !== undefined) {
      throw new ApiError("VALIDATION_FAILED", `Invalid ${target}: text is not valid Unicode`, {
        details: [{ path: bad, message: "Text contains a lone surrogate (not valid Unicode)", code: "invalid_string" }],
      });
    }
  });
  validatorSchemas.set(mw, { target, schema });
  return mw;
}

// With the u flag a proper surrogate pair is one code point, so this matches only lone halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * A lone UTF-16 surrogate cannot be stored as UTF-8: D1 would silently replace it with U+FFFD.
 * Refusing it keeps "stored intact or refused" true for every validated input.
 */
function illFormedPath(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? path : undefined;
  if (value === null || typeof value !== "object") return undefined;
  for (const [k, v] of Object.entries(value)) {
    const hit = illFormedPath(v, path ? `${path}.${k}` : k);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Attach a summary (and optional response schema) to a route for the API reference. */
export function doc(meta: RouteDoc): MiddlewareHandler {
  const mw: MiddlewareHandler = async (_c, next) => next();
  routeDocs.set(mw, meta);
  return mw;
}

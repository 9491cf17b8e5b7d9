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
  });
  validatorSchemas.set(mw, { target, schema });
  return mw;
}

/** Attach a summary (and optional response schema) to a route for the API reference. */
export function doc(meta: RouteDoc): MiddlewareHandler {
  const mw: MiddlewareHandler = async (_c, next) => next();
  routeDocs.set(mw, meta);
  return mw;
}

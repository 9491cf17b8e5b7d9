import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets, MiddlewareHandler } from "hono";
import { describeRoute, resolver, uniqueSymbol } from "hono-openapi";
import type { z } from "zod";
import { ApiError } from "./errors";
import { issueSentence } from "./issue-sentence";

type Target = keyof ValidationTargets;

/** What an activity entry names: the route's declared action key and, when known, what it acted on. */
export type ActivityTarget = { type: string; id: string } | null;
export type ActivityDecl = { action: string; target?: (c: Context<any, any, any>) => ActivityTarget | Promise<ActivityTarget> };

/** A route's contract, declared beside it: read by the OpenAPI generator (hono-openapi) and the activity log. */
export type RouteDoc = {
  summary: string;
  description?: string;
  tags?: string[];
  public?: boolean;
  /** Success status (default 200). 204 and 3xx carry no body. */
  status?: number;
  /** The success body's schema (JSON), or null for none. Every route declares one; a test fails without it. */
  response?: z.ZodType | null;
  /** A non-JSON success body (a download): its media type, beside or instead of `response`. */
  media?: string;
  /** Other documented statuses with JSON bodies (a route that answers 200 or 201, 202 with a job…). */
  alternatives?: Record<number, { description: string; schema: z.ZodType }>;
  /** P06: the key stored in activity_log.action; never derived from the URL, so renaming a route renames nothing. */
  activity?: ActivityDecl;
};

const ERROR_REF = { $ref: "#/components/responses/Error" };
const output = (schema: z.ZodType) => resolver(schema, { options: { io: "output" } });
const json = (schema: z.ZodType) => ({ "application/json": { schema: output(schema) } });

function responsesOf(meta: RouteDoc) {
  const status = meta.status ?? 200;
  const binary = meta.media ? { [meta.media]: { schema: { type: "string" as const, format: "binary" } } } : {};
  const success = meta.response || meta.media
    ? { description: "Success", content: { ...(meta.response ? json(meta.response) : {}), ...binary } }
    : meta.response === null || status === 204 || (status >= 300 && status < 400)
        ? { description: status >= 300 && status < 400 ? "Redirect" : "No content" }
        : { description: "Success (undocumented body)" };
  const extra = Object.fromEntries(Object.entries(meta.alternatives ?? {}).map(([s, r]) => [s, { description: r.description, content: json(r.schema) }]));
  return { [status]: success, ...extra, "4XX": ERROR_REF, "5XX": ERROR_REF };
}

/**
 * Describe a route (hono-openapi's describeRoute under the hood) and declare its activity action.
 */
export function doc(meta: RouteDoc): MiddlewareHandler {
  const described = describeRoute({
    summary: meta.summary,
    ...(meta.description ? { description: meta.description } : {}),
    tags: meta.tags ?? ["other"],
    ...(meta.public ? { security: [] } : {}),
    ...(meta.activity ? { "x-activity": meta.activity.action } : {}),
    responses: responsesOf(meta),
  } as Parameters<typeof describeRoute>[0]);
  const mw: MiddlewareHandler = async (c, next) => {
    if (meta.activity) c.set("activity", meta.activity);
    await next();
  };
  return Object.assign(mw, { [uniqueSymbol]: (described as unknown as Record<symbol, unknown>)[uniqueSymbol] });
}

/**
 * zod validation for one request part; failures answer 400 in the common error shape.
 * It carries hono-openapi's validator marker, so /api/openapi.json describes the request from the same schema.
 */
export function validate<T extends z.ZodType, K extends Target>(target: K, schema: T) {
  const mw = zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new ApiError("VALIDATION_FAILED", issueSentence(result.error.issues[0]), {
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
  // A JSON body validator reads a form or text body as `{}`: refuse any other media type first.
  const checked: typeof mw = target === "json"
    ? (async (c, next) => {
        const req = c.req.raw;
        const hasBody = req.body !== null && req.headers.get("content-length") !== "0";
        if (hasBody && !JSON_TYPE.test(c.req.header("content-type") ?? "")) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "This endpoint takes a JSON body (Content-Type: application/json)");
        return mw(c, next);
      }) as typeof mw
    : mw;
  return Object.assign(checked, { [uniqueSymbol]: { target, ...resolver(schema) } });
}

export const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

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

/** Activity targets read from the request: a path parameter, or the domain of a validated email. */
export const targetParam =
  (type: string, name: string) =>
  (c: Context): ActivityTarget => {
    const id = c.req.param(name);
    return id ? { type, id: id.slice(0, 200) } : null;
  };
export const targetEmailDomain = (c: Context<any, any, any>): ActivityTarget => {
  const email = (c.req.valid("json") as { email?: string } | undefined)?.email;
  return email ? { type: "email-domain", id: email.slice(email.lastIndexOf("@") + 1) } : null;
};

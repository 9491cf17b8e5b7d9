import type { MiddlewareHandler } from "hono";
import { ApiError } from "../lib/errors";

/** Routes that take raw bodies (webhooks are verified on their bytes) or their own media types. */
const OTHER_MEDIA_PREFIXES = ["/api/webhooks/"];
/** Multipart uploads: the publishing media library. */
const OTHER_MEDIA_PATHS = [/^\/api\/workspaces\/[^/]+\/publishing\/media$/];
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const hasBody = (req: Request) => req.body !== null && req.headers.get("content-length") !== "0";

/**
 * A JSON route answers 415 to any other body: otherwise the validator reads a form or text body
 * as `{}`, and a route whose fields are all optional would act on it.
 */
export const requireJsonBody: MiddlewareHandler = async (c, next) => {
  const method = c.req.method;
  if ((method === "POST" || method === "PUT" || method === "PATCH") && hasBody(c.req.raw) && !OTHER_MEDIA_PREFIXES.some((p) => c.req.path.startsWith(p)) && !OTHER_MEDIA_PATHS.some((p) => p.test(c.req.path))) {
    const type = c.req.header("content-type") ?? "";
    if (!JSON_TYPE.test(type)) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "This endpoint takes a JSON body (Content-Type: application/json)");
  }
  await next();
};

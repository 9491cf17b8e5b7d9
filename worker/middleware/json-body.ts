import type { MiddlewareHandler } from "hono";
import { ApiError } from "../lib/errors";
import { JSON_TYPE } from "../lib/validate";

/** Routes that take raw bodies (webhooks are verified on their bytes) or their own media types. */
const OTHER_MEDIA_PREFIXES = ["/api/webhooks/"];
/** Uploads (receipts, logos, media) come as multipart/form-data; their routes parse and check it themselves. */
const MULTIPART = /^multipart\/form-data\s*(?:;|$)/i;
const hasBody = (req: Request) => req.body !== null && req.headers.get("content-length") !== "0";

/**
 * A JSON route answers 415 to any other body: otherwise the validator reads a form or text body
 * as `{}`, and a route whose fields are all optional would act on it. Multipart bodies pass here
 * for the upload routes; `validate("json", …)` refuses them on every JSON route.
 */
export const requireJsonBody: MiddlewareHandler = async (c, next) => {
  const method = c.req.method;
  if ((method === "POST" || method === "PUT" || method === "PATCH") && hasBody(c.req.raw) && !OTHER_MEDIA_PREFIXES.some((p) => c.req.path.startsWith(p))) {
    const type = c.req.header("content-type") ?? "";
    if (!JSON_TYPE.test(type) && !MULTIPART.test(type)) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "This endpoint takes a JSON body (Content-Type: application/json)");
  }
  await next();
};

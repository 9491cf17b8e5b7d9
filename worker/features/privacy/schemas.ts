import { z } from "zod";
import { regimes } from "../../db/schema";

export const regime = z.enum(regimes);
export const idParam = <K extends string>(name: K) => z.object({ [name]: z.string().min(1).max(64) } as Record<K, z.ZodString>);

export const exportQuery = z.object({ format: z.enum(["json", "zip"]).default("json") });

export const passwordBody = z.strictObject({
  password: z.string().min(1, "Enter your password").max(128),
  /** Which law the request is made under (affects only its deadline and label). */
  regime: regime.default("gdpr"),
});

export const restoreBody = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email({ message: "Enter a valid email address" })),
  password: z.string().min(1).max(128),
});

export const processingBody = z
  .strictObject({ restricted: z.boolean().optional(), objected: z.boolean().optional(), saleOptOut: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change");

export const orgProcessingBody = z
  .strictObject({ restricted: z.boolean().optional(), objected: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change");

export const consentBody = z.strictObject({
  functional: z.boolean(),
  analytics: z.boolean(),
  source: z.enum(["banner", "settings"]).default("settings"),
});

/** Requests a user files by hand; access, erasure and the switches have their own self-serve routes. */
export const requestBody = z.strictObject({
  kind: z.enum(["rectification", "access", "erasure", "restriction", "objection", "know", "delete", "portability"]),
  regime: regime.default("gdpr"),
  details: z.string().trim().min(10, "Tell us what the request is about (at least 10 characters)").max(4000),
  orgId: z.string().min(1).max(64).optional(),
});

export const acceptPolicyBody = z.strictObject({ version: z.string().min(1).max(40) });

export const ATTACHMENT_MAX_BYTES = 512 * 1024;
export const attachmentTypes = ["application/pdf", "image/png", "image/jpeg", "text/plain"] as const;
export const attachmentBody = z.strictObject({
  name: z.string().trim().min(1).max(120).regex(/^[\w\-. ]+$/, "Use letters, digits, spaces, dots and dashes"),
  contentType: z.enum(attachmentTypes, { message: "Attach a PDF, PNG, JPEG or text file" }),
  // 512 KB of file is at most ~700 KB of base64.
  dataBase64: z.string().min(1).max(Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 4),
});

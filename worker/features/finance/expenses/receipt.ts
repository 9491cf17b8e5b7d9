import { fileTypeFromBuffer } from "file-type";
import { ApiError } from "../../../lib/errors";

export const MAX_RECEIPT_BYTES = 900 * 1024;
const ALLOWED = new Set(["image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"]);

/** The receipt's real type, sniffed from its bytes (the client's declared type is ignored). */
export async function sniffReceipt(bytes: Uint8Array) {
  if (bytes.byteLength === 0) throw new ApiError("VALIDATION_FAILED", "The receipt file is empty");
  if (bytes.byteLength > MAX_RECEIPT_BYTES) throw new ApiError("PAYLOAD_TOO_LARGE", "A receipt can be at most 900 KB");
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !ALLOWED.has(type.mime)) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "A receipt must be a JPEG, PNG, WebP, HEIC image or a PDF");
  return type.mime;
}

export const receiptKey = (orgId: string, expenseId: string) => `finance/${orgId}/receipts/${expenseId}`;

// The transport of each non-Gmail mailbox provider.
import type { MailboxRow } from "./ingest";
import { commentsTransport } from "./comments";
import { icloudTransport } from "./icloud";
import { outlookTransport } from "./outlook";
import type { MailTransport } from "./transport";

export function transportOf(provider: MailboxRow["provider"]): MailTransport | null {
  if (provider === "outlook") return outlookTransport;
  if (provider === "icloud") return icloudTransport;
  if (provider === "facebook" || provider === "instagram") return commentsTransport;
  return null;
}

// The transport of each non-Gmail mailbox provider.
import type { MailboxRow } from "./ingest";
import { icloudTransport } from "./icloud";
import { outlookTransport } from "./outlook";
import type { MailTransport } from "./transport";

export function transportOf(provider: MailboxRow["provider"]): MailTransport | null {
  if (provider === "outlook") return outlookTransport;
  if (provider === "icloud") return icloudTransport;
  return null;
}

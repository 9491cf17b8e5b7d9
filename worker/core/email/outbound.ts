import type { OutboundEmail } from "../messages";
import { newId } from "../../lib/ids";

/** Enqueue an email; delivery happens in the outbound-email consumer. */
export async function sendEmail(env: Env, email: Omit<OutboundEmail, "kind" | "messageId">) {
  const message: OutboundEmail = { kind: "email", messageId: newId(), ...email };
  await env.OUTBOUND_EMAIL.send(message);
  return message.messageId;
}

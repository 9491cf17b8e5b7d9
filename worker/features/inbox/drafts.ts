// AI reply drafts: written in the workspace's brand voice with this one thread as context (P04:
// the provider sees no other thread, and nothing when a correspondent restricted processing),
// then saved like any draft: in QWEB and in the mailbox's provider drafts, ready to edit and send.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { brandVoices, workspaces, type BrandVoice } from "../../db/schema";
import type { TenantCtx } from "../../core/context";
import { ApiError } from "../../lib/errors";
import { AiError } from "../../connectors/ai/types";
import { DEFAULT_VOICE, generateStructured } from "../ai";
import { aiAllowedFor, threadOf, threadText } from "./classify";
import { getConversation } from "./conversations";
import { saveDraft } from "./reply";

const draftSchema = z.object({ body: z.string().min(1).max(8000) });

const firstName = (name: string | null, address: string) => (name?.trim().split(/\s+/)[0] || address.split("@")[0] || "there").replace(/[^\p{L}\p{N}'-]/gu, "");

/** The built-in provider's reply: greets, acknowledges the subject, promises a next step, signs as the brand. */
function localDraft(voice: BrandVoice, brand: string, sender: { name: string | null; address: string }, subject: string, category: string | null, variant: number) {
  const ack = {
    lead: "Thank you for thinking of us — we would love to hear more about what you have in mind.",
    client_request: "Thanks for the note; we are on it.",
    support: "Sorry for the trouble, and thanks for letting us know.",
    billing: "Thanks for getting in touch about this.",
  }[category ?? ""] ?? "Thanks for your message.";
  const next = ["We will come back to you with details by tomorrow.", "Could you share a good time for a short call this week?", "We will follow up shortly with next steps."][variant % 3];
  const word = voice.wordsToUse[0] ? ` ${voice.wordsToUse[0][0]!.toUpperCase()}${voice.wordsToUse[0].slice(1)}, as always.` : "";
  return `Hi ${firstName(sender.name, sender.address)},\n\n${ack} About "${subject}": ${next}${word}\n\nBest regards,\n${brand}`;
}

export async function generateAiDraft({ ctx, input }: { ctx: TenantCtx; input: { id: string; draftId?: string; instructions?: string } }) {
  const conv = await getConversation({ ctx, input });
  const thread = await threadOf(ctx, conv);
  const last = [...thread].reverse().find((m) => m.direction === "in");
  if (!last) throw new ApiError("CONFLICT", "This conversation has no message to answer");
  const allowed = await aiAllowedFor(ctx, conv, thread);
  if (!allowed.ok) throw new ApiError("UNPROCESSABLE", `${allowed.reason}, so no AI draft is written. Write the reply yourself.`);
  const [[ws], [vr]] = await Promise.all([
    ctx.db.select({ name: workspaces.name }).from(workspaces).where(and(eq(workspaces.id, conv.workspaceId), eq(workspaces.orgId, conv.orgId))).limit(1),
    ctx.db.select({ voice: brandVoices.voice }).from(brandVoices).where(and(eq(brandVoices.workspaceId, conv.workspaceId), eq(brandVoices.orgId, conv.orgId))).limit(1),
  ]);
  const voice = vr?.voice ?? DEFAULT_VOICE;
  const brand = ws?.name ?? "our team";
  const system = [
    `You write ${conv.transport === "email" ? "email replies" : `public replies to ${conv.transport === "facebook" ? "Facebook" : "Instagram"} comments (short, friendly, no private details)`} for "${brand}". Tone: ${voice.tone}.`,
    voice.wordsToUse.length ? `Words to use: ${voice.wordsToUse.join(", ")}.` : "",
    voice.wordsToAvoid.length ? `Never use: ${voice.wordsToAvoid.join(", ")}.` : "",
    "Reply to the newest inbound message of the thread below. Be brief and concrete, never promise prices or dates the thread does not give, sign with the brand's name. Answer only with the requested structure: the reply's plain-text body.",
  ].filter(Boolean).join("\n");
  const prompt = `${input.instructions ? `Instructions from the team: ${input.instructions}\n\n` : ""}Thread (oldest first):\n\n${threadText(conv, thread)}`;
  const variant = Math.floor(ctx.now / 1000) % 3;
  let body: string;
  let model: string;
  try {
    const r = await generateStructured(ctx.env, ctx.db, { orgId: conv.orgId, workspaceId: conv.workspaceId }, {
      task: "inbox_draft", key: `inbox-draft:${conv.id}:${ctx.requestId}`, system, prompt, schema: draftSchema, maxTokens: 1200,
      local: () => ({ body: localDraft(voice, brand, last.from, conv.subject, conv.category, variant) }),
    }, () => ctx.now);
    body = r.data.body;
    model = `${r.provider}:${r.model}`;
  } catch (err) {
    if (err instanceof AiError) throw new ApiError(err.kind === "quota" ? "PAYMENT_REQUIRED" : err.kind === "retryable" ? "BAD_GATEWAY" : "UNPROCESSABLE", `No AI draft: ${err.message}`);
    throw err;
  }
  const draft = await saveDraft({ ctx, input: { id: conv.id, body, draftId: input.draftId } });
  return { ...draft, model };
}

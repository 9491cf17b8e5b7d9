// The one place a send or schedule leaves QWEB. Until the approval path lands, it runs at once;
// then it proposes a `send_campaign` action that `executor.ts` runs once approved.
import type { TenantCtx } from "../../core/context";
import { campaignRow, campaignView, checkSendTime, performSend } from "./service";

export async function requestSend({ ctx, input }: { ctx: TenantCtx; input: { id: string; at: number | null } }) {
  const row = await campaignRow(ctx, ctx.tenant, input.id);
  if (input.at !== null) checkSendTime(row.provider, input.at, ctx.now);
  return campaignView(ctx, await performSend(ctx, ctx.tenant, row.id, input.at));
}

import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { MINUTE } from "../../lib/time";
import { doc, validate } from "../../lib/validate";
import { rateLimit } from "../../core/throttle";
import { userView, setRefreshCookie } from "../auth";
import { z } from "zod";
import { acceptInvitation } from "./accept";
import { acceptBody, previewBody, previewView } from "./schemas";
import { previewInvitation } from "./service";

/** Public: the invitee has no session yet; the token is the credential. */
export const invitationRoutes = new Hono<AppEnv>()
  .post(
    "/preview",
    doc({ summary: "What an invitation link grants, before accepting it", tags: ["invitations"], public: true, response: previewView, activity: { action: "invitation.preview" } }),
    rateLimit("invitation-preview", 30, 15 * MINUTE),
    validate("json", previewBody),
    async (c) => c.json(await previewInvitation({ ctx: c.var.ctx, input: c.req.valid("json") })),
  )
  .post(
    "/accept",
    doc({
      summary: "Accept an invitation: create the account (name and birth date) or prove the existing one (its password)",
      tags: ["invitations"],
      public: true,
      response: z.object({ user: userView, accessToken: z.string(), workspaceId: z.string().nullable(), orgId: z.string() }),
      activity: { action: "invitation.accept" },
    }),
    rateLimit("invitation-accept", 10, 15 * MINUTE),
    validate("json", acceptBody),
    async (c) => {
      const meta = { ip: c.var.clientIp, userAgent: c.req.header("user-agent") };
      const result = await acceptInvitation({ ctx: c.var.ctx, input: { body: c.req.valid("json"), meta } });
      setRefreshCookie(c, result.refreshToken);
      return c.json({ user: result.user, accessToken: result.accessToken, workspaceId: result.workspaceId, orgId: result.orgId });
    },
  );

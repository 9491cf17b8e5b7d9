import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { approverRoles } from "../../db/schema";
import { actionKinds } from "../../core/actions";
import { doc, validate } from "../../lib/validate";
import { requireWorkspace } from "../../core/tenancy";
import { approversFor, setApprovers } from "./policy";

const param = z.object({ workspaceId: z.string().min(1).max(64), subjectKind: z.enum(["content", ...actionKinds]) });
const body = z.strictObject({ approvers: z.array(z.enum(approverRoles)).min(1).max(4).refine((a) => new Set(a).size === a.length, "Each role once") });

/** /api/workspaces/:workspaceId/approval-policies/:subjectKind */
export const approvalPolicyRoutes = new Hono<AppEnv>()
  .get("/:subjectKind", doc({ summary: "Who may approve content in this workspace", tags: ["approvals"] }), requireWorkspace("viewer"), validate("param", param), async (c) =>
    c.json({ approvers: await approversFor(c.var.db, c.var.tenant, c.req.valid("param").subjectKind) }),
  )
  .put("/:subjectKind", doc({ summary: "Set who may approve: editors, admins, portal editors, portal admins", tags: ["approvals"] }), requireWorkspace("admin"), validate("param", param), validate("json", body), async (c) => {
    const { approvers } = c.req.valid("json");
    await setApprovers(c.var.db, c.var.tenant, c.req.valid("param").subjectKind, approvers, Date.now());
    return c.json({ approvers });
  });

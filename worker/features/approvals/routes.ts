import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { approverRoles } from "../../db/schema";
import { actionKinds } from "../../core/actions";
import { doc, targetParam, validate } from "../../lib/validate";
import { requireWorkspace } from "../../core/tenancy";
import { approversFor, setApprovers } from "./policy";

const param = z.object({ workspaceId: z.string().min(1).max(64), subjectKind: z.enum(["content", ...actionKinds]) });
const approversView = z.object({ approvers: z.array(z.enum(approverRoles)) });
const body = z.strictObject({ approvers: z.array(z.enum(approverRoles)).min(1).max(4).refine((a) => new Set(a).size === a.length, "Each role once") });

/** /api/workspaces/:workspaceId/approval-policies/:subjectKind */
export const approvalPolicyRoutes = new Hono<AppEnv>()
  .get("/:subjectKind", doc({ summary: "Who may approve content in this workspace", tags: ["approvals"], response: approversView }), requireWorkspace("viewer"), validate("param", param), async (c) =>
    c.json({ approvers: await approversFor({ ctx: c.var.tenantCtx, input: c.req.valid("param") }) }),
  )
  .put("/:subjectKind", doc({ summary: "Set who may approve: editors, admins, portal editors, portal admins", tags: ["approvals"], response: approversView, activity: { action: "approval.policy.update", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("admin"), validate("param", param), validate("json", body), async (c) =>
    c.json(await setApprovers({ ctx: c.var.tenantCtx, input: { subjectKind: c.req.valid("param").subjectKind, approvers: c.req.valid("json").approvers } })),
  );

import { Hono } from "hono";
import type { AppEnv } from "../../../core/context";
import { doc, targetParam, validate } from "../../../lib/validate";
import { ctxOf } from "../context";
import { budgetListView, budgetParam, budgetView, putBudgetBody } from "./schemas";
import { deleteBudget, listBudgets, putBudget } from "./service";

const tags = ["finance: budgets"];

export const budgetRoutes = new Hono<AppEnv>()
  .get("/budgets", doc({ summary: "Monthly time budgets of clients and projects with this month's use", tags, response: budgetListView }), async (c) => c.json({ budgets: await listBudgets({ ctx: ctxOf(c) }) }))
  .put("/budgets", doc({ summary: "Set a client's or project's monthly budget in hours or money (warnings at 80 % and 100 %)", tags, response: budgetView, activity: { action: "finance.budget.set" } }), validate("json", putBudgetBody), async (c) =>
    c.json(await putBudget({ ctx: ctxOf(c), input: c.req.valid("json") })),
  )
  .delete("/budgets/:budgetId", doc({ summary: "Remove a budget", tags, status: 204, activity: { action: "finance.budget.delete", target: targetParam("budget", "budgetId") } }), validate("param", budgetParam), async (c) => {
    await deleteBudget({ ctx: ctxOf(c), input: c.req.valid("param") });
    return c.body(null, 204);
  });

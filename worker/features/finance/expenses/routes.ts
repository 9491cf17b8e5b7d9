import { Hono } from "hono";
import type { AppEnv } from "../../../core/context";
import { ApiError } from "../../../lib/errors";
import { doc, targetParam, validate } from "../../../lib/validate";
import { ctxOf } from "../context";
import { createExpenseBody, expenseListView, expenseParam, expenseView, listExpensesQuery, updateExpenseBody } from "./schemas";
import { attachReceipt, createExpense, deleteExpense, getReceipt, listExpenses, updateExpense } from "./service";

const tags = ["finance: expenses"];

export const expenseRoutes = new Hono<AppEnv>()
  .get("/expenses", doc({ summary: "Expenses (yours; admins: all)", tags, response: expenseListView }), validate("query", listExpensesQuery), async (c) =>
    c.json({ expenses: await listExpenses({ ctx: ctxOf(c), input: c.req.valid("query") }) }),
  )
  .post("/expenses", doc({ summary: "Record an expense", tags, status: 201, response: expenseView, activity: { action: "finance.expense.create" } }), validate("json", createExpenseBody), async (c) =>
    c.json(await createExpense({ ctx: ctxOf(c), input: c.req.valid("json") }), 201),
  )
  .patch("/expenses/:expenseId", doc({ summary: "Change an unbilled expense", tags, response: expenseView, activity: { action: "finance.expense.update", target: targetParam("expense", "expenseId") } }), validate("param", expenseParam), validate("json", updateExpenseBody), async (c) =>
    c.json(await updateExpense({ ctx: ctxOf(c), input: { ...c.req.valid("json"), expenseId: c.req.valid("param").expenseId } })),
  )
  .delete("/expenses/:expenseId", doc({ summary: "Delete an unbilled expense and its receipt", tags, status: 204, activity: { action: "finance.expense.delete", target: targetParam("expense", "expenseId") } }), validate("param", expenseParam), async (c) => {
    await deleteExpense({ ctx: ctxOf(c), input: c.req.valid("param") });
    return c.body(null, 204);
  })
  .post(
    "/expenses/:expenseId/receipt",
    doc({ summary: "Upload the receipt (multipart field `file`; JPEG, PNG, WebP, HEIC or PDF, type sniffed, at most 900 KB)", tags, response: expenseView, activity: { action: "finance.expense.receipt", target: targetParam("expense", "expenseId") } }),
    validate("param", expenseParam),
    async (c) => {
      if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
        throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the receipt as multipart/form-data with a `file` field");
      }
      const form = await c.req.parseBody().catch(() => {
        throw new ApiError("BAD_REQUEST", "Malformed multipart body");
      });
      const file = form.file;
      if (!(file instanceof File)) throw new ApiError("VALIDATION_FAILED", "The `file` field is missing", { details: [{ path: "file", message: "Required" }] });
      const bytes = new Uint8Array(await file.arrayBuffer());
      return c.json(await attachReceipt({ ctx: ctxOf(c), input: { expenseId: c.req.valid("param").expenseId, bytes } }));
    },
  )
  .get("/expenses/:expenseId/receipt", doc({ summary: "Download the receipt", tags, media: "application/octet-stream" }), validate("param", expenseParam), async (c) => {
    const r = await getReceipt({ ctx: ctxOf(c), input: c.req.valid("param") });
    return c.body(r.body, 200, { "content-type": r.type, "content-disposition": "inline", "x-content-type-options": "nosniff" });
  });

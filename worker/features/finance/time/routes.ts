import { Hono } from "hono";
import type { AppEnv } from "../../../core/context";
import { doc, targetParam, validate } from "../../../lib/validate";
import { ctxOf } from "../context";
import { createEntryBody, entryParam, listEntriesQuery, startTimerBody, timeEntryListView, timeEntryView, timerView, updateEntryBody } from "./schemas";
import { createEntry, deleteEntry, listEntries, runningTimer, startTimer, stopTimer, updateEntry } from "./service";

const tags = ["finance: time"];

export const timeRoutes = new Hono<AppEnv>()
  .get("/timer", doc({ summary: "Your running timer in this organization (null when none)", tags, response: timerView }), async (c) => c.json({ timer: await runningTimer({ ctx: ctxOf(c) }) }))
  .post("/timer/start", doc({ summary: "Start your timer (a running one is stopped first)", tags, status: 201, response: timeEntryView, activity: { action: "finance.timer.start" } }), validate("json", startTimerBody), async (c) =>
    c.json(await startTimer({ ctx: ctxOf(c), input: c.req.valid("json") }), 201),
  )
  .post("/timer/stop", doc({ summary: "Stop your running timer", tags, response: timeEntryView, activity: { action: "finance.timer.stop" } }), async (c) => c.json(await stopTimer({ ctx: ctxOf(c) })))
  .get("/time", doc({ summary: "Time entries in a range (yours; admins: anyone's or all)", tags, response: timeEntryListView }), validate("query", listEntriesQuery), async (c) =>
    c.json({ entries: await listEntries({ ctx: ctxOf(c), input: c.req.valid("query") }) }),
  )
  .post("/time", doc({ summary: "Log a time entry by hand", tags, status: 201, response: timeEntryView, activity: { action: "finance.time.create" } }), validate("json", createEntryBody), async (c) =>
    c.json(await createEntry({ ctx: ctxOf(c), input: c.req.valid("json") }), 201),
  )
  .patch("/time/:entryId", doc({ summary: "Change an unbilled time entry", tags, response: timeEntryView, activity: { action: "finance.time.update", target: targetParam("time-entry", "entryId") } }), validate("param", entryParam), validate("json", updateEntryBody), async (c) =>
    c.json(await updateEntry({ ctx: ctxOf(c), input: { ...c.req.valid("json"), entryId: c.req.valid("param").entryId } })),
  )
  .delete("/time/:entryId", doc({ summary: "Delete an unbilled time entry", tags, status: 204, activity: { action: "finance.time.delete", target: targetParam("time-entry", "entryId") } }), validate("param", entryParam), async (c) => {
    await deleteEntry({ ctx: ctxOf(c), input: c.req.valid("param") });
    return c.body(null, 204);
  });

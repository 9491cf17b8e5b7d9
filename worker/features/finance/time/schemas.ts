import { z } from "zod";

const id = z.string().min(1).max(64);
// 2000-01-01 .. 2100-01-01: any timestamp a person can log, and nothing date math overflows on.
export const instant = z.number().int().min(946_684_800_000).max(4_102_444_800_000);
export const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "Not an IANA time zone");

export const entryParam = z.object({ orgId: id, entryId: id });
const notes = z.string().trim().max(2000);

export const startTimerBody = z.strictObject({
  workspaceId: id,
  projectId: id.nullable().optional(),
  taskId: id.nullable().optional(),
  notes: notes.optional(),
  billable: z.boolean().optional(),
  timeZone,
});

export const createEntryBody = z.strictObject({
  workspaceId: id,
  projectId: id.nullable().optional(),
  taskId: id.nullable().optional(),
  startedAt: instant,
  endedAt: instant,
  timeZone,
  billable: z.boolean().optional(),
  notes: notes.optional(),
});

export const updateEntryBody = z.strictObject({
  projectId: id.nullable().optional(),
  startedAt: instant.optional(),
  endedAt: instant.optional(),
  timeZone: timeZone.optional(),
  billable: z.boolean().optional(),
  notes: notes.optional(),
});

export const listEntriesQuery = z.strictObject({
  from: z.coerce.number().pipe(instant),
  to: z.coerce.number().pipe(instant),
  workspaceId: id.optional(),
  /** Admins: another member's entries, or "all". Members always see their own. */
  userId: id.optional(),
});

/** Answers. */
export const timeEntryView = z.object({
  id: z.string(),
  orgId: z.string(),
  workspaceId: z.string(),
  projectId: z.string().nullable(),
  taskId: z.string().nullable(),
  userId: z.string().nullable(),
  startedAt: z.number().int(),
  endedAt: z.number().int().nullable(),
  timeZone: z.string(),
  billable: z.boolean(),
  notes: z.string(),
  rateMinor: z.number().int().nullable(),
  invoiceId: z.string().nullable(),
  invoiceLineId: z.string().nullable(),
  /** The client sign-off request holding it (see /signoffs for its status). */
  signoffId: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  durationMs: z.number().int().nullable(),
  billed: z.boolean(),
});
export const timerView = z.object({ timer: timeEntryView.nullable() });
export const timeEntryListView = z.object({ entries: z.array(timeEntryView) });

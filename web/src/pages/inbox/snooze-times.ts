// Snooze presets as wall-clock times in a time zone (the conversation's workspace's), without a
// date library: Intl gives a zone's wall clock for an instant; the instant of a wall-clock time
// is found by correcting a first guess by the zone's offset (twice, for DST edges).

type Wall = { y: number; m: number; d: number; h: number; mi: number; weekday: number };
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export function validZone(tz: string | null | undefined): string {
  if (!tz) return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz;
  } catch {
    return "UTC";
  }
}

export function wallClock(ms: number, tz: string): Wall {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", weekday: "short" })
      .formatToParts(ms).map((p) => [p.type, p.value]),
  );
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), h: Number(parts.hour) % 24, mi: Number(parts.minute), weekday: WEEKDAYS.indexOf(parts.weekday ?? "") };
}

/** The instant when the wall clock in `tz` shows y-m-d h:mi (day overflow allowed: d + 1 is tomorrow). */
export function zonedInstant(y: number, m: number, d: number, h: number, mi: number, tz: string): number {
  const want = Date.UTC(y, m - 1, d, h, mi);
  let at = want;
  for (let i = 0; i < 3; i++) {
    const w = wallClock(at, tz);
    const diff = want - Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi);
    if (diff === 0) break;
    at += diff;
  }
  return at;
}

export type SnoozePreset = { id: "later" | "tomorrow" | "monday"; label: string; at: number };

/** Later today (3 hours on, on the hour, if still before 21:00 there), tomorrow 9:00, next Monday 9:00. */
export function snoozePresets(now: number, tz: string): SnoozePreset[] {
  const w = wallClock(now, tz);
  const out: SnoozePreset[] = [];
  const laterHour = w.h + 3 + (w.mi > 0 ? 1 : 0);
  if (laterHour <= 21) out.push({ id: "later", label: "Later today", at: zonedInstant(w.y, w.m, w.d, laterHour, 0, tz) });
  out.push({ id: "tomorrow", label: "Tomorrow", at: zonedInstant(w.y, w.m, w.d + 1, 9, 0, tz) });
  const toMonday = ((8 - w.weekday) % 7) || 7;
  out.push({ id: "monday", label: "Next Monday", at: zonedInstant(w.y, w.m, w.d + toMonday, 9, 0, tz) });
  return out;
}

const pad = (n: number) => String(n).padStart(2, "0");
/** A datetime-local input's value ("YYYY-MM-DDTHH:mm") for an instant, in `tz`. */
export const toLocalInput = (ms: number, tz: string) => {
  const w = wallClock(ms, tz);
  return `${w.y}-${pad(w.m)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}`;
};
/** The instant a datetime-local value means in `tz`, or null when it is not one. */
export function fromLocalInput(v: string, tz: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(v);
  return m ? zonedInstant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), tz) : null;
}

/** "Wed 2 Dec, 09:00" in the zone. */
export const formatIn = (ms: number, tz: string) => new Date(ms).toLocaleString("en-GB", { timeZone: tz, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

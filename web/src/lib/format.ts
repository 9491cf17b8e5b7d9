const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export const formatDateTime = (ms: number | null | undefined) => (ms ? dateTime.format(new Date(ms)) : "—");
export const formatDate = (ms: number | string | null | undefined) => {
  if (!ms) return "—";
  // "YYYY-MM-DD" is a calendar date: show it without shifting through the local timezone.
  const d = typeof ms === "string" ? new Date(`${ms}T12:00:00`) : new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : dateOnly.format(d);
};

export function timeAgo(ms: number | null | undefined, now = Date.now()): string {
  if (!ms) return "—";
  const s = Math.round((ms - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 45) return "just now";
  if (abs < 3600) return relative.format(Math.round(s / 60), "minute");
  if (abs < 86400) return relative.format(Math.round(s / 3600), "hour");
  if (abs < 86400 * 30) return relative.format(Math.round(s / 86400), "day");
  return formatDate(ms);
}

export const roleLabel: Record<string, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  viewer: "Viewer",
  editor: "Editor",
  "org-admin": "Org admin",
  portal: "Client portal",
};

export const initials = (name: string | null | undefined) =>
  (name ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join("") || "?";

const PAST: Record<string, string> = {
  create: "created", post: "created", update: "updated", patch: "updated", put: "updated", delete: "removed",
  revoke: "revoked", accept: "accepted", invite: "invited", login: "signed in", logout: "signed out",
  "logout-all": "signed out everywhere", refresh: "session refreshed", signup: "signed up", password: "password changed",
};
const singular = (w: string) => (w.endsWith("ies") ? `${w.slice(0, -3)}y` : w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w);
const words = (w: string) => w.replace(/[-_]+/g, " ").trim();
const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** "1 comment", "3 comments", "1,204 views": a count with its noun in the right number. */
export const countOf = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** How a request is named in the activity log, derived from its matched route, never hand-listed. */

export type DeviceClass = "desktop" | "mobile" | "tablet" | "bot";

const BOT = /bot|crawl|spider|slurp|headless|curl|wget|python|httpclient|okhttp|go-http|java\/|node-fetch|axios|postman|insomnia|lighthouse|preview/i;
const TABLET = /ipad|tablet|kindle|silk|playbook|sm-t\d|android(?!.*mobile)/i;
const MOBILE = /mobi|iphone|ipod|android|blackberry|opera mini|iemobile|windows phone/i;

/** Coarse device class from the User-Agent; null when the client sent none. */
export function deviceClass(userAgent: string | null | undefined): DeviceClass | null {
  if (!userAgent) return null;
  if (BOT.test(userAgent)) return "bot";
  if (TABLET.test(userAgent)) return "tablet";
  if (MOBILE.test(userAgent)) return "mobile";
  return "desktop";
}

const VERB: Record<string, string> = { POST: "create", PUT: "update", PATCH: "update", DELETE: "delete" };
const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
const paramName = (segment: string) => segment.slice(1).replace(/\{.*\}$/, "").replace(/\?$/, "");

/**
 * `PATCH /api/workspaces/:workspaceId` → `workspaces.update`, target `workspace` + its id.
 * A POST to a path that also answers GET is a create in that collection
 * (`POST /api/orgs/:orgId/invitations` → `orgs.invitations.create`); any other POST names its
 * own action (`POST /api/auth/login` → `auth.login`).
 */
export function describeRequest(method: string, routePath: string, requestPath: string, isListable: (path: string) => boolean) {
  const route = routePath.split("/").filter(Boolean);
  const actual = requestPath.split("/").filter(Boolean);
  const start = route[0] === "api" ? 1 : 0;
  const names: string[] = [];
  let target: { type: string; id: string } | null = null;
  for (let i = start; i < route.length; i++) {
    const segment = route[i]!;
    if (segment.startsWith(":")) {
      target = { type: paramName(segment).replace(/Id$/, ""), id: safeDecode(actual[i] ?? "").slice(0, 200) };
    } else if (segment !== "*") names.push(segment);
  }
  const last = route.at(-1) ?? "";
  const namesAction = method === "POST" && !last.startsWith(":") && !isListable(routePath);
  const action = namesAction ? names.join(".") : [...names, VERB[method] ?? method.toLowerCase()].join(".");
  return { action: action || "unknown", targetType: target?.type ?? null, targetId: target?.id ?? null };
}

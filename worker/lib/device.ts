// One reading of the User-Agent header for the whole Worker (activity log, sessions, analytics).
// ua-parser-js keeps the device, browser and bot tables that hand-written regexes kept getting
// wrong (Android tablets without "Mobile", Edge posing as Chrome, Googlebot's phone UA, CLI tools).
import { UAParser, type IResult } from "ua-parser-js";
import { Bots } from "ua-parser-js/extensions";
import { isBot } from "ua-parser-js/bot-detection";

export type DeviceClass = "desktop" | "mobile" | "tablet" | "bot" | "unknown";

const parse = (ua: string): IResult => new UAParser(ua, Bots).getResult();
const automated = (r: IResult) => isBot(r) || /headless/i.test(r.browser.name ?? "");

/** Coarse device class; "unknown" when the client sent no User-Agent or one that names nothing. */
export function deviceClass(userAgent: string | null | undefined): DeviceClass {
  if (!userAgent?.trim()) return "unknown";
  const r = parse(userAgent);
  if (automated(r)) return "bot";
  if (r.device.type === "tablet") return "tablet";
  if (r.device.type === "mobile" || r.device.type === "wearable") return "mobile";
  return r.browser.name || r.os.name ? "desktop" : "unknown";
}

/** A short label to recognise a device by: "Chrome on macOS", "Safari on iOS", "curl", "Googlebot". */
export function deviceLabel(userAgent: string | null | undefined): string {
  if (!userAgent?.trim()) return "Unknown device";
  const r = parse(userAgent);
  const browser = r.browser.name?.replace(/^Mobile /, "");
  const os = r.os.name;
  if (automated(r)) return browser ?? "Automated client";
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? "Unknown device";
}

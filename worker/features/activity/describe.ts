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

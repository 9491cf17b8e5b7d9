import { ProviderError } from "../http";
import type { ConnectorRuntime } from "../types";

const bad = (message: string) => new ProviderError("permanent", message, { provider: "woocommerce" });
// Names that never resolve to a public store: loopback, link-local, LAN and reserved suffixes.
const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home", ".corp", ".home.arpa", ".test", ".invalid", ".example", ".onion"];

/**
 * The store's home URL as the key of the connection ("https://shop.example.com" or a WordPress in a
 * sub-folder, "https://example.com/shop"). Https only, no credentials, and in live mode no IP
 * literals, private names or custom ports: the Worker would otherwise fetch wherever a user points it.
 * In sandbox mode every https host is accepted, since the URL is rewritten to the sandbox anyway.
 */
export function normalizeStoreUrl(rt: Pick<ConnectorRuntime, "sandboxUrl">, input: string | undefined): string {
  const raw = (input ?? "").trim();
  if (!raw) throw bad("Enter the store's address, e.g. https://shop.example.com");
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw bad("The store address is not a valid URL");
  }
  if (u.protocol !== "https:") throw bad("The store address must use https://");
  if (u.username || u.password) throw bad("The store address must not contain a user name or password");
  const host = u.hostname.toLowerCase();
  if (!rt.sandboxUrl) {
    const ipLiteral = host.startsWith("[") || /^\d+(\.\d+){3}$/.test(host) || /^[0-9a-f:]+$/.test(host);
    if (ipLiteral) throw bad("Use the store's domain name, not an IP address");
    if (!host.includes(".") || host === "localhost" || PRIVATE_SUFFIXES.some((s) => host.endsWith(s))) throw bad("The store address must be a public domain");
    if (u.port && u.port !== "443") throw bad("The store address must use the standard https port");
  }
  // Users paste the admin or API address as often as the home page.
  const path = u.pathname.replace(/\/(wp-admin|wp-json|wp-login\.php)(\/.*)?$/, "").replace(/\/+$/, "");
  return `https://${u.host.toLowerCase()}${path}`;
}

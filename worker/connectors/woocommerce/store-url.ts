import { ProviderError } from "../http";
import { publicUrlProblem } from "../public-url";
import type { ConnectorRuntime } from "../types";

const bad = (message: string) => new ProviderError("permanent", message, { provider: "woocommerce" });

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
  const problem = rt.sandboxUrl ? null : publicUrlProblem(u);
  if (problem) throw bad(`The store address ${problem}`);
  // Users paste the admin or API address as often as the home page.
  const path = u.pathname.replace(/\/(wp-admin|wp-json|wp-login\.php)(\/.*)?$/, "").replace(/\/+$/, "");
  return `https://${u.host.toLowerCase()}${path}`;
}

import { describe, expect, it } from "vitest";
import { ProviderError, providerFetch } from "../../worker/connectors/http";
import { normalizeStoreUrl } from "../../worker/connectors/woocommerce/store-url";
import { env } from "cloudflare:test";
import { injectFaults, sandboxRuntime } from "../support/connectors";
import { connectStore, newStore } from "./woocommerce-support";

const hostOf = (storeUrl: string) => new URL(storeUrl).host;
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe("outbound calls follow redirects only to addresses the guard allows", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data/",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::ffff:127.0.0.1]/",
    "https://2130706433/",
    "https://0x7f.0.0.1/",
    "https://metadata.google.internal./computeMetadata/v1/",
    "https://localhost./",
    "https://router.local/",
  ])("a store redirecting to %s is refused as a permanent error, nothing fetched there", async (location) => {
    const store = newStore("redir", 10);
    await injectFaults({ provider: "woocommerce", kind: "redirect", location, match: hostOf(store) });
    const err = await failure(connectStore(store));
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe("permanent");
    expect((err as ProviderError).message).toMatch(/redirected to an address that/);
  });

  it("a redirect within the provider is followed (the sandbox's own address)", async () => {
    const store = newStore("moved", 10);
    const target = newStore("moved-target", 10);
    const location = `${env.SANDBOX_URL}/woocommerce/${hostOf(target)}/wp-json/wc/v3/system_status`;
    await injectFaults({ provider: "woocommerce", kind: "redirect", location, match: hostOf(store) });
    const { account } = await connectStore(store);
    expect(account).toMatchObject({ storeUrl: store });
  });

  it("more than 5 redirects is an error, not a loop", async () => {
    const store = newStore("loop", 10);
    const self = `${env.SANDBOX_URL}/woocommerce/${hostOf(store)}/wp-json/wc/v3/system_status`;
    await injectFaults({ provider: "woocommerce", kind: "redirect", location: self, match: hostOf(store), count: 10 });
    const err = await failure(providerFetch(sandboxRuntime(), `${store}/wp-json/wc/v3/system_status`, { provider: "woocommerce" }));
    expect((err as ProviderError).message).toMatch(/more than 5 redirects/);
  });
});

describe("store URL guard (live mode)", () => {
  const live = { sandboxUrl: null };
  it.each([
    "https://localhost.", "https://metadata.google.internal.", "https://shop.example.com.", "https://0x7f000001", "https://017700000001",
    "https://127.1", "https://[::ffff:10.0.0.1]", "https://[fd00::1]", "https://printer.local", "https://app.localhost", "https://shop.test",
    "https://1.1.1.1", "https://10.0.0.5.nip.io.",
  ])("refuses %s", (bad) => {
    expect(() => normalizeStoreUrl(live, bad)).toThrow(ProviderError);
  });

  it("accepts a public domain, and in local mode any https host (the sandbox serves it)", () => {
    expect(normalizeStoreUrl(live, "https://shop.example.com")).toBe("https://shop.example.com");
    expect(normalizeStoreUrl({ sandboxUrl: "http://127.0.0.1:1" }, "https://demo-store.test")).toBe("https://demo-store.test");
  });
});

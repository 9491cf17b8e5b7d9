import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { connectDemoWorkspace } from "../../worker/features/integrations/demo";
import { call, env, expectStatus, ownerWithWorkspace } from "./support";

describe("demo integrations", () => {
  for (const [business, other] of [["Bistro Uno", "Peak Outfitters"], ["Peak Outfitters", "Bistro Uno"]] as const) {
    it(`names every provider account of "${business}" for ${business}, none for ${other}`, async () => {
      const { t, ws } = await ownerWithWorkspace(business);
      await connectDemoWorkspace(env, createDb(env.DB), t.userId, ws);
      const list = await call("GET", `/api/workspaces/${ws.id}/integrations`, { token: t.token });
      expectStatus(list, 200);
      const labels = Object.fromEntries((list.json.integrations as { provider: string; label: string }[]).map((i) => [i.provider, i.label]));
      expect(Object.keys(labels).sort()).toEqual(["ga4", "google-ads", "klaviyo", "mailchimp", "meta", "shopify", "woocommerce"]);
      // WooCommerce has no store name in its API: the store's address names it.
      const slug = business.toLowerCase().replace(/ /g, "-");
      expect(labels.woocommerce).toBe(`${slug}.example`);
      for (const provider of ["shopify", "ga4", "klaviyo", "mailchimp", "meta", "google-ads"]) {
        expect(labels[provider], `${provider}: ${labels[provider]}`).toMatch(new RegExp(`^${business}\\b`));
      }
      for (const label of Object.values(labels)) expect(label).not.toMatch(new RegExp(other, "i"));
    });
  }
});

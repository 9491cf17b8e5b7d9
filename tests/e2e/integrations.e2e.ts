import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, shot } from "./browser.ts";
import { apiLogin, DEMO, http, newAccount, settle, signIn, visible, essentialCookiesOnly } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

// OAuth returns to APP_URL (the stack's own origin, http://127.0.0.1:<port>), so the browser uses that origin throughout:
// its session cookie must be there when the provider sends it back.
const base = () => inject("baseUrl");
const stamp = Date.now().toString(36);

describe("integrations in the browser: happy path", () => {
  it("a new user connects Shopify in the sandbox (consent page, Approve) and sees its orders synced", async () => {
    const who = { name: "Sam Shop", email: `sam-${stamp}@example.test`, password: "sandbox shop password", org: `Sam Retail ${stamp}` };
    const account = await newAccount(base(), who);
    const ws = await http(base(), "POST", "/api/workspaces", { token: account.accessToken, body: { orgId: account.organization.id, name: "Sam's Store" } });
    expect(ws.status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base(), who.email, who.password);
    await page.goto(`${base()}/integrations`);
    await page.getByRole("heading", { name: "Integrations", level: 1 }).waitFor();
    await essentialCookiesOnly(page);
    await visible(page, "Nothing connected yet");
    await settle(page);
    await shot(page, "integrations-01-empty");

    const shop = `sams-${stamp}-orders-120.myshopify.com`;
    await page.getByRole("button", { name: "Connect Shopify" }).click();
    await page.getByLabel("Shop domain").fill(shop);
    await shot(page, "integrations-02-connect-form");
    await page.getByRole("button", { name: "Continue to Shopify" }).click();

    // The sandbox's own consent screen.
    await page.getByRole("button", { name: "Approve" }).waitFor();
    expect(page.url()).toContain(inject("sandboxUrl").replace(/^http:\/\//, ""));
    await visible(page, shop);
    await shot(page, "integrations-03-consent");
    await page.getByRole("button", { name: "Approve" }).click();

    // Back in QWEB (via /workspaces/<id>/integrations) on that workspace's page: syncing, then active with its rows.
    await page.waitForURL(/\/integrations$/);
    await page.getByText("Sam's Store").first().waitFor();
    await visible(page, "Shopify connected");
    const row = page.locator("tr", { hasText: shop });
    await row.waitFor();
    // Shopify's cost throttle paces this shop's pages: the live progress bar shows meanwhile.
    await row.getByRole("progressbar", { name: "Sync progress" }).waitFor();
    await row.getByText(/\d+ rows · \d+ pages/).waitFor();
    await shot(page, "integrations-04a-syncing");
    await row.getByText("Active").waitFor({ timeout: 60_000 });
    await settle(page);
    await shot(page, "integrations-04-synced");

    const token = await apiLogin(base(), who.email, who.password);
    const list = await http(base(), "GET", `/api/workspaces/${ws.body.id}/integrations`, { token });
    const shopify = list.body.integrations.find((i: { provider: string }) => i.provider === "shopify");
    const runs = await http(base(), "GET", `/api/integrations/${shopify.id}/runs`, { token });
    expect(runs.body.runs[0]).toMatchObject({ status: "succeeded", reason: "initial" });
    const stats = await fetch(`${inject("sandboxUrl")}/_sandbox/shopify/stats?shop=${shop}`).then((r) => r.json());
    expect(shopify.rowsSynced).toBe(stats.orders + stats.products);
    await expect(row.textContent()).resolves.toContain(String(stats.orders + stats.products));

    // The sync history and the disconnect confirmation that states the 30-day deletion.
    await row.getByRole("button", { name: "History of Shopify syncs" }).click();
    await visible(page, /First sync · \d+ rows fetched/);
    await shot(page, "integrations-05-history");
    await page.getByRole("button", { name: "Close" }).click();
    // The shop uninstalls QWEB's app: the row says what happened and what to do (no raw reason),
    // and the owner finds it on the Notifications page as well as in the mailbox.
    const gone = await fetch(`${inject("sandboxUrl")}/_sandbox/shopify/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ shop, topic: "app/uninstalled" }),
    }).then((r) => r.json() as Promise<{ delivery: { headers: Record<string, string>; body: string } }>);
    const hook = await fetch(`${base()}/api/webhooks/shopify`, { method: "POST", headers: gone.delivery.headers, body: gone.delivery.body });
    expect(hook.status).toBe(200);
    await page.reload();
    await row.getByText("Needs reconnect").waitFor();
    await row.getByText("Shopify says QWEB's access was revoked or its app was uninstalled. Reconnect Shopify to resume syncing.").waitFor();
    await row.getByRole("button", { name: "Reconnect" }).waitFor();
    await settle(page);
    await shot(page, "integrations-05b-needs-reconnect");
    await page.goto(`${base()}/notifications`);
    await page.getByRole("heading", { name: `Reconnect Shopify for Sam's Store on QWEB` }).waitFor();
    await settle(page);
    await shot(page, "integrations-05c-notification");
    await page.goto(`${base()}/integrations`);
    await row.getByRole("button", { name: "Disconnect Shopify" }).click();
    await visible(page, "deleted permanently in 30 days");
    await shot(page, "integrations-06-disconnect-confirm");
    await page.getByRole("button", { name: "Cancel" }).click();
    await context.close();
  });

  it("connects Meta through the sandbox's Facebook consent page and sees its Pages and ad accounts synced", async () => {
    const who = { name: "Mia Meta", email: `mia-${stamp}@example.test`, password: "sandbox meta password", org: `Mia Social ${stamp}` };
    const account = await newAccount(base(), who);
    const ws = await http(base(), "POST", "/api/workspaces", { token: account.accessToken, body: { orgId: account.organization.id, name: "Mia's Cafe" } });
    expect(ws.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base(), who.email, who.password);
    await page.goto(`${base()}/integrations`);
    await page.getByRole("heading", { name: "Integrations", level: 1 }).waitFor();
    await essentialCookiesOnly(page);
    await page.getByRole("button", { name: "Connect Meta (Facebook, Instagram, Ads)" }).click();
    await page.getByRole("button", { name: "Approve" }).waitFor();
    expect(page.url()).toContain("/meta/www.facebook.com/");
    await visible(page, "Facebook");
    await shot(page, "integrations-08-meta-consent");
    await page.getByRole("button", { name: "Approve" }).click();
    await page.waitForURL(/\/integrations$/);
    const row = page.locator("tr", { hasText: "Meta (Facebook, Instagram, Ads)" });
    await row.getByText("Active").waitFor({ timeout: 60_000 });
    await settle(page);
    await shot(page, "integrations-09-meta-synced");
    const token = await apiLogin(base(), who.email, who.password);
    const list = await http(base(), "GET", `/api/workspaces/${ws.body.id}/integrations`, { token });
    const meta = list.body.integrations.find((i: { provider: string }) => i.provider === "meta");
    const user = await fetch(`${inject("sandboxUrl")}/_sandbox/meta/user?user=sandbox-meta-user`).then((r) => r.json());
    expect(meta).toMatchObject({ status: "active", reconnectBy: null, lastError: null });
    expect(meta.account.pages).toBe(user.pages.map((p: { id: string }) => p.id).join(","));
    expect(meta.rowsSynced).toBeGreaterThan(0);
    await context.close();
  });

  it("the demo owner's client workspace shows all seven providers connected and synced", async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base(), DEMO.owner, inject("demo").password);
    await page.goto(`${base()}/workspaces/${inject("demo").workspaceIds[0]}/integrations`);
    await essentialCookiesOnly(page);
    for (const name of ["Shopify", "WooCommerce", "Google Analytics 4", "Klaviyo", "Mailchimp", "Meta (Facebook, Instagram, Ads)", "Google Ads"]) {
      await page.locator("tr", { hasText: name }).getByText("Active").waitFor();
    }
    await settle(page);
    await shot(page, "integrations-07-demo-workspace");
    const token = await apiLogin(base(), DEMO.owner, inject("demo").password);
    for (const id of inject("demo").workspaceIds) {
      const list = await http(base(), "GET", `/api/workspaces/${id}/integrations`, { token });
      expect(list.body.integrations.map((i: { provider: string }) => i.provider).sort()).toEqual(["ga4", "google-ads", "klaviyo", "mailchimp", "meta", "shopify", "woocommerce"]);
      for (const i of list.body.integrations) expect(i, JSON.stringify(i)).toMatchObject({ status: "active", lastError: null, rowsSynced: expect.any(Number) });
      expect(list.body.integrations.every((i: { rowsSynced: number }) => i.rowsSynced > 0)).toBe(true);
    }
    await context.close();
  });
});

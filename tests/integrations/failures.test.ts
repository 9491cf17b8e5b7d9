import { describe, expect, it } from "vitest";
import { failureMessage } from "../../worker/features/integrations/messages";
import { inviteAndAccept } from "../support/harness";
import { call, connectOAuth, drain, env, expectStatus, ownerWithWorkspace, sandboxControl } from "./support";

let n = 0;
const shopName = (tag: string) => `${tag}-${Date.now().toString(36)}${++n}-orders-40.myshopify.com`;

describe("integration failures: a sentence with what to do", () => {
  it("turns each kind of provider error into one sentence naming the provider and the next step", () => {
    expect(failureMessage("ga4", "Google Analytics 4 refused to renew access: ga4 Google OAuth: invalid_grant (Token has been expired or revoked.)")).toBe(
      "Google says QWEB's access was revoked or expired. Reconnect Google Analytics 4 to resume syncing.",
    );
    expect(failureMessage("shopify", "Shopify rejected the stored credentials; reconnect the account.")).toMatch(/^Shopify says QWEB's access was revoked or expired\. Reconnect Shopify/);
    expect(failureMessage("klaviyo", "klaviyo GET /api/campaigns: rate limited (gave up after 9 retries; the next sync resumes from here)")).toMatch(/Klaviyo asked QWEB to slow down/);
    expect(failureMessage("woocommerce", "woocommerce GET /wp-json/wc/v3/orders: 503 (gave up after 5 retries; the next sync resumes from here)")).toMatch(/WooCommerce did not answer in time/);
    expect(failureMessage("woocommerce", "woocommerce GET /wp-json/wc/v3/orders: timed out")).toMatch(/did not answer in time/);
    expect(failureMessage("mailchimp", "mailchimp: malformed JSON response (gave up after 5 retries)")).toMatch(/Mailchimp sent an answer QWEB could not read/);
    expect(failureMessage("woocommerce", "woocommerce GET /wp-json/wc/v3/orders: 404 {\"code\":\"rest_no_route\"}")).toMatch(/could not find this account or store/);
    expect(failureMessage("ga4", "ga4 POST /v1beta/properties/1:runReport: 403 {\"error\":{\"status\":\"PERMISSION_DENIED\"}}")).toMatch(/^Google no longer lets QWEB read this account/);
    expect(failureMessage("shopify", "QWEB could not read the stored credentials; reconnect the account.")).toMatch(/Reconnect Shopify/);
    expect(failureMessage("klaviyo", "something nobody expected")).toMatch(/^Syncing Klaviyo failed\. QWEB tries again/);
  });
});

describe("integration failures: the API and the Notifications page", () => {
  it("a revoked grant: everyone reads the sentence, only admins the raw reason; each admin gets one notification", async () => {
    const { t, ws } = await ownerWithWorkspace("Revoked Co");
    const viewer = await inviteAndAccept(t, { workspaceId: ws.id }, "viewer");
    const shop = shopName("nf");
    const i = await connectOAuth(t, ws.id, "shopify", { shop });
    await drain(ws.id);
    await sandboxControl("shopify/expire", { shop });
    await env.DB.prepare("DELETE FROM integration_credentials WHERE integration_id = ? AND field = 'refreshToken'").bind(i.id).run();
    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: t.token }), 202);
    await drain(ws.id);

    const asViewer = (await call("GET", `/api/workspaces/${ws.id}/integrations`, { token: viewer.token })).json.integrations[0];
    expect(asViewer.status).toBe("needs_reconnect");
    expect(asViewer.lastError).toBe("Shopify says QWEB's access was revoked or expired. Reconnect Shopify to resume syncing.");
    expect(asViewer).not.toHaveProperty("lastErrorDetail");
    const viewerRuns = (await call("GET", `/api/integrations/${i.id}/runs`, { token: viewer.token })).json.runs;
    expect(viewerRuns[0]).toMatchObject({ status: "failed", error: asViewer.lastError });
    expect(viewerRuns[0]).not.toHaveProperty("errorDetail");

    const asOwner = (await call("GET", `/api/workspaces/${ws.id}/integrations`, { token: t.token })).json.integrations[0];
    expect(asOwner.lastError).toBe(asViewer.lastError);
    expect(asOwner.lastErrorDetail).toMatch(/Shopify rejected the stored credentials|refused to renew/);
    const ownerRuns = (await call("GET", `/api/integrations/${i.id}/runs`, { token: t.token })).json.runs;
    expect(ownerRuns[0].errorDetail).toBe(asOwner.lastErrorDetail);

    const notes = (await call("GET", "/api/notifications", { token: t.token })).json.notifications.filter((x: { kind: string }) => x.kind === "integration");
    expect(notes, JSON.stringify(notes)).toHaveLength(1);
    expect(notes[0]).toMatchObject({ title: "Reconnect Shopify for Revoked Co on QWEB", link: `/workspaces/${ws.id}/integrations` });
    expect(notes[0].body).toContain(asViewer.lastError);
    // Viewers cannot reconnect: they are not told.
    const viewerNotes = (await call("GET", "/api/notifications", { token: viewer.token })).json.notifications;
    expect(viewerNotes.filter((x: { kind: string }) => x.kind === "integration")).toEqual([]);

    // The same episode again (a webhook saying the app was uninstalled, another refused sync): no second notice.
    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: t.token }), 409);
    const again = (await call("GET", "/api/notifications", { token: t.token })).json.notifications.filter((x: { kind: string }) => x.kind === "integration");
    expect(again).toHaveLength(1);
  });
});

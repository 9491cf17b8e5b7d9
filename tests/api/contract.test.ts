import { describe, expect, it } from "vitest";
import { PASSWORD, expectStatus, newTenant, newWorkspace, refreshCookieOf, uniqueEmail } from "../support/harness";
import { waitForJob } from "../ai/support";
import { sandboxControl } from "../support/connectors";
import { newOperator } from "../privacy/support";
import { contractChecker } from "./contract-support";

/**
 * The documented contract is what the handlers really answer: a user (and an operator) walk the
 * main routes, and every JSON answer, success or error, is validated against /api/openapi.json.
 */
describe("contract: responses match their documented schemas", () => {
  it("a user's journey: account, organization, workspaces, people, integrations, activity, privacy", async () => {
    const api = await contractChecker();
    const policy = await api.call("GET", "/api/policy");
    await api.call("GET", "/api/health");
    await api.call("GET", "/api/policy/text");
    await api.call("GET", "/api/policy/versions");
    await api.call("GET", "/api/consent");

    const email = uniqueEmail("contract");
    const signup = await api.call("POST", "/api/auth/signup", {
      ip: "198.18.7.1",
      body: { email, password: PASSWORD, name: "Cora", organizationName: "Contract Org", organizationKind: "agency", birthDate: "1990-01-01", acceptPolicyVersion: policy.json.version },
    });
    expectStatus(signup, 201);
    const orgId = signup.json.organization.id as string;
    const login = await api.call("POST", "/api/auth/login", { body: { email, password: PASSWORD }, ip: "198.18.7.2" });
    expectStatus(login, 200);
    const token = login.json.accessToken as string;
    const auth = { token };
    expectStatus(await api.call("POST", "/api/auth/login", { body: { email, password: "wrong password" }, ip: "198.18.7.3" }), 401);
    expectStatus(await api.call("POST", "/api/auth/refresh", { headers: { cookie: refreshCookieOf(login.headers) } }), 200);
    expectStatus(await api.call("GET", "/api/me", auth), 200);
    expectStatus(await api.call("PATCH", "/api/me", { ...auth, body: { name: "Cora C." } }), 200);
    expectStatus(await api.call("GET", "/api/auth/sessions", auth), 200);

    expectStatus(await api.call("GET", `/api/orgs/${orgId}`, auth), 200);
    expectStatus(await api.call("PATCH", `/api/orgs/${orgId}`, { ...auth, body: { name: "Contract Org 2" } }), 200);
    expectStatus(await api.call("GET", `/api/orgs/${orgId}/members`, auth), 200);
    const orgInvite = await api.call("POST", `/api/orgs/${orgId}/invitations`, { ...auth, body: { email: uniqueEmail("inv"), role: "member" } });
    expectStatus(orgInvite, 201);
    expectStatus(await api.call("GET", `/api/orgs/${orgId}/invitations`, auth), 200);
    expectStatus(await api.call("DELETE", `/api/orgs/${orgId}/invitations/${orgInvite.json.invitation.id}`, auth), 204);

    const ws = await api.call("POST", "/api/workspaces", { ...auth, body: { orgId, name: "Contract Client" } });
    expectStatus(ws, 201);
    const wsId = ws.json.id as string;
    expectStatus(await api.call("GET", "/api/workspaces", auth), 200);
    expectStatus(await api.call("GET", `/api/workspaces/${wsId}`, auth), 200);
    expectStatus(await api.call("PATCH", `/api/workspaces/${wsId}`, { ...auth, body: { description: "Described" } }), 200);
    expectStatus(await api.call("POST", `/api/workspaces/${wsId}/invitations`, { ...auth, body: { email: uniqueEmail("portal"), role: "viewer" } }), 201);
    expectStatus(await api.call("GET", `/api/workspaces/${wsId}/invitations`, auth), 200);
    expectStatus(await api.call("GET", `/api/workspaces/${wsId}/portal-users`, auth), 200);
    expectStatus(await api.call("GET", `/api/workspaces/not-a-workspace`, auth), 404);

    expectStatus(await api.call("GET", `/api/workspaces/${wsId}/integrations`, auth), 200);
    const key = `pk_sandbox_contract${Date.now().toString(36)}`;
    await sandboxControl("klaviyo/config", { key, relaxed: true });
    const connected = await api.call("POST", `/api/workspaces/${wsId}/integrations/klaviyo/connect`, { ...auth, body: { fields: { apiKey: key } } });
    expectStatus(connected, 201);
    // Dashboards: the figures, a breakdown and a drill-down, the layout, the time zone, the roll-up, the catalogue.
    expectStatus(await api.call("GET", `/api/workspaces/${wsId}/dashboard?area=overview&preset=90d&compare=year`, auth), 200);
    expectStatus(await api.call("GET", `/api/workspaces/${wsId}/dashboard?area=email&from=2024-01-15&to=2025-11-20&compare=previous`, auth), 200);
    expectStatus(await api.call("GET", `/api/workspaces/${wsId}/dashboard/breakdown?dimension=campaign&metrics=email_sends,email_revenue&preset=12m`, auth), 200);
    expectStatus(await api.call("GET", `/api/workspaces/${wsId}/dashboard/drill?dimension=campaign&value=x&metrics=email_sends&preset=28d`, auth), 200);
    expectStatus(await api.call("GET", `/api/workspaces/${wsId}/dashboard/layout`, auth), 200);
    expectStatus(await api.call("PUT", `/api/workspaces/${wsId}/dashboard/layout`, { ...auth, body: { widgets: [{ key: "ad_spend", size: "m" }, { key: "breakdown:post", size: "l" }] } }), 200);
    expectStatus(await api.call("DELETE", `/api/workspaces/${wsId}/dashboard/layout`, auth), 200);
    expectStatus(await api.call("PUT", `/api/workspaces/${wsId}/dashboard/time-zone`, { ...auth, body: { timeZone: "Europe/Berlin" } }), 200);
    expectStatus(await api.call("GET", `/api/orgs/${orgId}/dashboard?preset=28d`, auth), 200);
    expectStatus(await api.call("GET", "/api/metrics/catalogue", auth), 200);
    const integrationId = connected.json.integration.id as string;
    expectStatus(await api.call("POST", `/api/workspaces/${wsId}/integrations/shopify/connect`, { ...auth, body: { fields: { shop: "contract-shop.myshopify.com" } } }), 200);
    expectStatus(await api.call("GET", `/api/integrations/${integrationId}`, auth), 200);
    expectStatus(await api.call("GET", `/api/integrations/${integrationId}/runs`, auth), 200);
    expectStatus(await api.call("POST", `/api/integrations/${integrationId}/sync`, auth), 202);
    const emailLists = await api.call("GET", `/api/workspaces/${wsId}/campaigns/lists`, auth);
    expectStatus(emailLists, 200);
    const listId = emailLists.json.integrations[0].lists[0].id as string;
    const campaign = await api.call("POST", `/api/workspaces/${wsId}/campaigns`, { ...auth, body: { integrationId, listId, subject: "Contract", bodyHtml: "<p>Hi</p>", fromName: "QWEB", replyTo: "hi@example.test" } });
    expectStatus(campaign, 201);
    const campaignPath = `/api/workspaces/${wsId}/campaigns/${campaign.json.campaign.id}`;
    expectStatus(await api.call("GET", `/api/workspaces/${wsId}/campaigns`, auth), 200);
    expectStatus(await api.call("PATCH", campaignPath, { ...auth, body: { preheader: "Contract preheader" } }), 200);
    expectStatus(await api.call("GET", `/api/workspaces/${wsId}/campaigns/from-content/not-a-content`, auth), 404);
    expectStatus(await api.call("PUT", `/api/workspaces/${wsId}/actions/settings/send_campaign`, { ...auth, body: { autopilot: false, limits: { sendsPerDay: 1, maxRecipients: 5000 } } }), 200);
    expectStatus(await api.call("POST", `${campaignPath}/test`, { ...auth, body: { emails: ["owner@example.test"] } }), 200);
    expectStatus(await api.call("POST", `${campaignPath}/schedule`, { ...auth, body: { scheduledFor: Math.ceil((Date.now() + 7_200_000) / 900_000) * 900_000 } }), 200);
    expectStatus(await api.call("GET", campaignPath, auth), 200);
    expectStatus(await api.call("POST", `${campaignPath}/unschedule`, auth), 200);
    expectStatus(await api.call("DELETE", `/api/integrations/${integrationId}`, auth), 204);

    expectStatus(await api.call("GET", "/api/notifications", auth), 200);
    expectStatus(await api.call("GET", `/api/orgs/${orgId}/activity`, auth), 200);
    expectStatus(await api.call("GET", "/api/me/activity", auth), 200);

    expectStatus(await api.call("GET", "/api/privacy/overview", auth), 200);
    expectStatus(await api.call("GET", "/api/privacy/inventory", auth), 200);
    expectStatus(await api.call("GET", "/api/privacy/export?format=json", auth), 200);
    expectStatus(await api.call("GET", "/api/privacy/exports", auth), 200);
    expectStatus(await api.call("PUT", "/api/privacy/consents", { ...auth, body: { functional: true, analytics: false } }), 200);
    expectStatus(await api.call("GET", "/api/privacy/consents", auth), 200);
    expectStatus(await api.call("PUT", "/api/privacy/processing", { ...auth, body: { saleOptOut: true } }), 200);
    expectStatus(await api.call("PUT", `/api/privacy/orgs/${orgId}/processing`, { ...auth, body: { objected: true } }), 200);
    const request = await api.call("POST", "/api/privacy/requests", { ...auth, body: { kind: "rectification", details: "Please fix my birth date on file." } });
    expectStatus(request, 201);
    expectStatus(await api.call("GET", "/api/privacy/requests", auth), 200);
    expectStatus(await api.call("GET", `/api/privacy/requests/${request.json.request.id}`, auth), 200);
    expectStatus(await api.call("POST", `/api/privacy/requests/${request.json.request.id}/cancel`, auth), 200);
    expectStatus(await api.call("GET", "/api/privacy/policy", auth), 200);
    expectStatus(await api.call("POST", "/api/privacy/policy/accept", { ...auth, body: { version: policy.json.version } }), 200);
    expectStatus(await api.call("POST", "/api/analytics/events", { ...auth, body: { kind: "page_view", name: "/dashboard" } }), 202);
    expectStatus(await api.call("POST", "/api/analytics/events", { ...auth, body: { kind: "nope" } }), 400);
    expectStatus(await api.call("GET", "/api/operator/me", auth), 404);
    expectStatus(await api.call("DELETE", `/api/workspaces/${wsId}`, auth), 204);
    expectStatus(await api.call("POST", "/api/auth/logout", auth), 204);

    expect(api.checked.size).toBeGreaterThan(45);
  });

  it("an operator's console: queue, requests, purge reports, policies, incidents", async () => {
    const api = await contractChecker();
    const op = await newOperator();
    const auth = { token: op.token };
    expectStatus(await api.call("GET", "/api/operator/me", auth), 200);
    expectStatus(await api.call("GET", "/api/operator/overview", auth), 200);
    const filed = await api.call("POST", "/api/operator/dsr", { ...auth, body: { email: uniqueEmail("subject"), kind: "access", details: "By email" } });
    expectStatus(filed, 201);
    expectStatus(await api.call("GET", "/api/operator/dsr", auth), 200);
    expectStatus(await api.call("GET", `/api/operator/dsr/${filed.json.request.id}`, auth), 200);
    expectStatus(await api.call("PATCH", `/api/operator/dsr/${filed.json.request.id}`, { ...auth, body: { note: "Verifying" } }), 200);
    expectStatus(await api.call("GET", `/api/operator/users?email=${encodeURIComponent(op.email)}`, auth), 200);
    expectStatus(await api.call("GET", "/api/operator/purge-reports", auth), 200);
    expectStatus(await api.call("GET", "/api/operator/policies", auth), 200);
    const incident = await api.call("POST", "/api/operator/incidents", {
      ...auth,
      body: { title: "Lost laptop", detectedAt: Date.now(), nature: "Device lost", dataCategories: ["email"], subjectCategories: ["users"], likelyConsequences: "Low", measuresTaken: "Remote wipe" },
    });
    expectStatus(incident, 201);
    expectStatus(await api.call("GET", "/api/operator/incidents", auth), 200);
    expectStatus(await api.call("GET", `/api/operator/incidents/${incident.json.incident.id}`, auth), 200);
    expectStatus(await api.call("PATCH", `/api/operator/incidents/${incident.json.incident.id}`, { ...auth, body: { measuresTaken: "Wiped" } }), 200);
    expectStatus(await api.call("POST", `/api/operator/incidents/${incident.json.incident.id}/notify`, { ...auth, body: { userIds: [op.userId] } }), 200);
    expectStatus(await api.call("POST", "/api/operator/vault/rotate", { ...auth, body: {} }), 200);
  });

  it("the AI engine and the content studio: a job, its content, the approval path, settings and usage", async () => {
    const api = await contractChecker();
    const t = await newTenant({ name: "Ada" });
    const ws = await newWorkspace(t, "Contract Bistro");
    const auth = { token: t.token };
    const w = `/api/workspaces/${ws.id}`;
    expectStatus(await api.call("GET", `/api/orgs/${t.orgId}/ai/settings`, auth), 200);
    expectStatus(await api.call("PUT", `/api/orgs/${t.orgId}/ai/settings`, { ...auth, body: { textProvider: "local", textModel: "qweb-local-1", imageProvider: "local", imageModel: "qweb-local-1", fallback: [], budgetMicros: null } }), 200);
    expectStatus(await api.call("PUT", `/api/orgs/${t.orgId}/ai/keys/openai`, { ...auth, body: { apiKey: "sk-sandbox-openai-0001" } }), 204);
    expectStatus(await api.call("DELETE", `/api/orgs/${t.orgId}/ai/keys/openai`, auth), 204);
    const voice = await api.call("GET", `${w}/ai/brand-voice`, auth);
    expectStatus(voice, 200);
    expectStatus(await api.call("PUT", `${w}/ai/brand-voice`, { ...auth, body: { ...voice.json.voice, timeZone: "Europe/Paris" } }), 200);
    expectStatus(await api.call("GET", `${w}/ai/patterns`, auth), 200);

    const started = await api.call("POST", `${w}/ai/jobs`, { ...auth, body: { kind: "image", input: { brief: "Our new autumn menu launches Friday" } } });
    expectStatus(started, 202);
    expectStatus(await api.call("POST", `${w}/ai/jobs`, { ...auth, body: { kind: "nope", input: {} } }), 400);
    const job = await waitForJob(t, started.json.jobId);
    expect(job.status).toBe("succeeded");
    expectStatus(await api.call("GET", `/api/ai/jobs/${job.id}`, auth), 200);
    expectStatus(await api.call("POST", `/api/ai/jobs/${job.id}/cancel`, auth), 409);
    expectStatus(await api.call("GET", `${w}/ai/jobs?agents=false`, auth), 200);

    const list = await api.call("GET", `${w}/content?job=${job.id}`, auth);
    expectStatus(list, 200);
    const id = list.json.items[0].id as string;
    const detail = await api.call("GET", `/api/content/${id}`, auth);
    expectStatus(detail, 200);
    expectStatus(await api.call("GET", `/api/content/${id}/image`, auth), 200);
    expectStatus(await api.call("PATCH", `/api/content/${id}`, { ...auth, body: { title: "Autumn menu", body: { ...detail.json.content.body, headline: "Autumn is here" } } }), 200);
    expectStatus(await api.call("GET", `/api/content/${id}/versions`, auth), 200);
    expectStatus(await api.call("POST", `/api/content/${id}/comments`, { ...auth, body: { body: "Lovely" } }), 201);
    expectStatus(await api.call("GET", `${w}/approval-policies/content`, auth), 200);
    expectStatus(await api.call("PUT", `${w}/approval-policies/content`, { ...auth, body: { approvers: ["admin", "portal_admin"] } }), 200);
    expectStatus(await api.call("POST", `/api/content/${id}/send-for-approval`, { ...auth, body: { note: "For Friday" } }), 200);
    expectStatus(await api.call("POST", `/api/content/${id}/decision`, { ...auth, body: { decision: "approve" } }), 200);
    expectStatus(await api.call("POST", `/api/content/${id}/status`, { ...auth, body: { status: "archived" } }), 200);

    const schedule = await api.call("POST", `${w}/ai/schedules`, { ...auth, body: { agent: "performance_analyst", cadence: "weekly", brief: "Weekly check-in", firstRunAt: Date.now() + 86_400_000 } });
    expectStatus(schedule, 201);
    expectStatus(await api.call("GET", `${w}/ai/schedules`, auth), 200);
    expectStatus(await api.call("DELETE", `${w}/ai/schedules/${schedule.json.schedule.id}`, auth), 204);
    expectStatus(await api.call("GET", `/api/ai/usage?orgId=${t.orgId}&by=provider`, auth), 200);
    expectStatus(await api.call("DELETE", `/api/content/${id}`, auth), 204);
  });

  it("alerts, reports and tasks: rules, the template, a generated report and its share link, a task's life", async () => {
    const api = await contractChecker();
    const t = await newTenant({ name: "Rhea" });
    const ws = await newWorkspace(t, "Contract Florist");
    const auth = { token: t.token };
    const w = `/api/workspaces/${ws.id}`;
    const rule = await api.call("POST", `${w}/alerts/rules`, { ...auth, body: { kind: "budget_pacing", name: "Ads budget", params: { monthlyBudgetMinor: 1500_00, currency: "USD", thresholdPct: 10 } } });
    expectStatus(rule, 201);
    expectStatus(await api.call("GET", `${w}/alerts/rules`, auth), 200);
    expectStatus(await api.call("PATCH", `${w}/alerts/rules/${rule.json.id}`, { ...auth, body: { enabled: false } }), 200);
    expectStatus(await api.call("GET", `${w}/alerts`, auth), 200);
    expectStatus(await api.call("POST", `${w}/alerts/no-such-alert/acknowledge`, auth), 404);
    expectStatus(await api.call("DELETE", `${w}/alerts/rules/${rule.json.id}`, auth), 204);

    const tpl = await api.call("GET", `${w}/reports/template`, auth);
    expectStatus(tpl, 200);
    const { title, sections, branding } = tpl.json;
    expectStatus(await api.call("PUT", `${w}/reports/template`, { ...auth, body: { title, sections: [...sections, { kind: "note", text: "Thanks" }], branding, schedule: "weekly" } }), 200);
    const report = await api.call("POST", `${w}/reports`, { ...auth, body: { preset: "28d" } });
    expectStatus(report, 201);
    expectStatus(await api.call("GET", `${w}/reports`, auth), 200);
    expectStatus(await api.call("GET", `${w}/reports/${report.json.id}/pdf`, auth), 200);
    const share = await api.call("POST", `${w}/reports/${report.json.id}/shares`, { ...auth, body: { days: 3 } });
    expectStatus(share, 201);
    expectStatus(await api.call("GET", new URL(share.json.url, "http://x").pathname), 200);
    expectStatus(await api.call("DELETE", `${w}/reports/${report.json.id}/shares/${share.json.id}`, auth), 204);

    const task = await api.call("POST", `${w}/tasks`, { ...auth, body: { title: "Call the client", labels: ["calls"], links: [{ kind: "url", id: "https://example.com", label: "Brief" }] } });
    expectStatus(task, 201);
    expectStatus(await api.call("PATCH", `${w}/tasks/${task.json.id}`, { ...auth, body: { status: "doing", assigneeId: t.userId, dueDate: "2026-12-24" } }), 200);
    expectStatus(await api.call("GET", `${w}/tasks`, auth), 200);
    expectStatus(await api.call("POST", `${w}/tasks/${task.json.id}/move`, { ...auth, body: { status: "done", afterId: null } }), 200);
    expectStatus(await api.call("POST", `${w}/tasks/${task.json.id}/comments`, { ...auth, body: { body: "Left a voicemail" } }), 201);
    expectStatus(await api.call("GET", `${w}/tasks/${task.json.id}/comments`, auth), 200);
    expectStatus(await api.call("DELETE", `${w}/tasks/${task.json.id}`, auth), 204);
  });

  it("the check is real: a body that drifts from its schema is refused", async () => {
    const api = await contractChecker();
    const validate = api.compile(api.schemaOf("GET", "/api/workspaces", 200));
    expect(validate({ workspaces: [], nextCursor: null })).toBe(true);
    expect(validate({ workspaces: [{ id: 1, name: "x" }] }), "wrong types and missing fields").toBe(false);
    const me = api.compile(api.schemaOf("GET", "/api/me", 200));
    expect(me({ user: { id: "u", email: "e", name: "n", birthDate: "1990-01-01", createdAt: 1, passwordHash: "x" }, memberships: [], portalWorkspaces: [], isOperator: false }), "an undeclared field").toBe(false);
  });
});

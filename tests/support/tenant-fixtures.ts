import { call, env, expectStatus, newWorkspace, uniqueEmail, type Tenant } from "./harness";

/**
 * The tenant-isolation proof (tests/tenancy/isolation.test.ts) calls every registered API route as
 * a user of organization B with organization A's real ids in the path. It needs, for every path
 * parameter name used by any route, a way to make a real row of organization A and return its id.
 *
 * Adding a route with a new parameter (`:integrationId`, `:postId`, …)? Add one entry below:
 *
 *   integrationId: async (a) => {
 *     const workspaceId = await a.id("workspaceId");        // other fixtures, created once
 *     const res = await call("POST", `/api/workspaces/${workspaceId}/integrations`, { token: a.owner.token, body: {…} });
 *     expectStatus(res, 201);
 *     return res.json.id;
 *   },
 *
 * Create through the API as org A's owner where a route exists (or insert with env.DB otherwise).
 * Use the parameter name exactly as written in the route path. Each fixture runs once per run.
 * Put "Victim" in a name or text field of what you create: the proof fails any response to
 * organization B that contains it.
 */
export type FixtureContext = {
  /** Organization A's owner, signed in. */
  owner: Tenant;
  /** The id another fixture returns (created once, then reused). */
  id(param: string): Promise<string>;
};
export type TenantFixture = (a: FixtureContext) => Promise<string>;

export const tenantFixtures: Record<string, TenantFixture> = {
  orgId: async (a) => a.owner.orgId,
  workspaceId: async (a) => (await newWorkspace(a.owner, "Victim workspace")).id,
  userId: async (a) => a.owner.userId,
  invitationId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const res = await call("POST", `/api/workspaces/${workspaceId}/invitations`, {
      token: a.owner.token,
      body: { email: uniqueEmail("victim-invitee"), role: "viewer" },
    });
    expectStatus(res, 201);
    return res.json.invitation.id;
  },
  // Not a row: the provider segment of the connect route (the workspace check answers first).
  provider: async () => "ga4",
  // Inserted directly: connecting through the API would queue a real sync whose rows land while
  // the proof compares organization A's data before and after.
  integrationId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO integrations (id, org_id, workspace_id, provider, status, label, account_key, created_at, updated_at) VALUES (?, ?, ?, 'ga4', 'active', 'Victim analytics', ?, ?, ?)",
    )
      .bind(id, a.owner.orgId, workspaceId, `victim-${id}`, now, now)
      .run();
    return id;
  },
  // Privacy center: an export of A's owner (inserted ready: a running job would change A's rows
  // in the background while the proof compares them), a request, a notification, an incident.
  jobId: async (a) => {
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO export_jobs (id, user_id, status, rows_total, rows_done, tables_total, tables_done, files, bytes, created_at, completed_at, expires_at) VALUES (?, ?, 'ready', 1, 1, 1, 1, 0, 10, ?, ?, ?)",
    )
      .bind(id, a.owner.userId, now, now, now + 7 * 86_400_000)
      .run();
    return id;
  },
  requestId: async (a) => {
    const res = await call("POST", "/api/privacy/requests", {
      token: a.owner.token,
      body: { kind: "rectification", details: "Victim asks to correct the birth date" },
    });
    expectStatus(res, 201);
    return res.json.request.id;
  },
  notificationId: async (a) => {
    const id = crypto.randomUUID();
    await env.DB.prepare("INSERT INTO notifications (id, user_id, kind, title, body, created_at) VALUES (?, ?, 'system', 'Victim notice', 'Victim body', ?)")
      .bind(id, a.owner.userId, Date.now())
      .run();
    return id;
  },
  // Finance (tests/finance): created through the API as A's owner. `report` is a name, not a row.
  report: async () => "profitability",
  projectId: async (a) => {
    const res = await call("POST", `/api/orgs/${a.owner.orgId}/finance/projects`, { token: a.owner.token, body: { workspaceId: await a.id("workspaceId"), name: "Victim project" } });
    expectStatus(res, 201);
    return res.json.id;
  },
  entryId: async (a) => {
    const startedAt = Date.UTC(2026, 2, 2, 9);
    const body = { workspaceId: await a.id("workspaceId"), startedAt, endedAt: startedAt + 3_600_000, timeZone: "UTC", notes: "Victim work" };
    const res = await call("POST", `/api/orgs/${a.owner.orgId}/finance/time`, { token: a.owner.token, body });
    expectStatus(res, 201);
    return res.json.id;
  },
  rateId: async (a) => {
    const res = await call("PUT", `/api/orgs/${a.owner.orgId}/finance/rates`, { token: a.owner.token, body: { scope: "org", hourlyMinor: 12_345 } });
    expectStatus(res, 200);
    return res.json.id;
  },
  expenseId: async (a) => {
    const body = { workspaceId: await a.id("workspaceId"), date: "2026-03-02", amountMinor: 999, currency: "USD", category: "software", vendor: "Victim vendor" };
    const res = await call("POST", `/api/orgs/${a.owner.orgId}/finance/expenses`, { token: a.owner.token, body });
    expectStatus(res, 201);
    return res.json.id;
  },
  budgetId: async (a) => {
    const res = await call("PUT", `/api/orgs/${a.owner.orgId}/finance/budgets`, { token: a.owner.token, body: { workspaceId: await a.id("workspaceId"), unit: "hours", monthlyLimit: 2400 } });
    expectStatus(res, 200);
    return res.json.id;
  },
  // A sign-off request of A's client over the victim time entry's month.
  signoffId: async (a) => {
    await a.id("entryId");
    const res = await call("POST", `/api/orgs/${a.owner.orgId}/finance/signoffs`, { token: a.owner.token, body: { workspaceId: await a.id("workspaceId"), from: "2026-03-01", to: "2026-03-31" } });
    expectStatus(res, 201);
    return res.json.id;
  },
  invoiceId: async (a) => {
    const body = { workspaceId: await a.id("workspaceId"), billTo: { name: "Victim client" }, lines: [{ description: "Victim line", quantity: 1, unitPriceMinor: 100 }] };
    const res = await call("POST", `/api/orgs/${a.owner.orgId}/finance/invoices`, { token: a.owner.token, body });
    expectStatus(res, 201);
    return res.json.id;
  },
  // Incidents are platform records (operators only): any non-operator gets 404.
  incidentId: async () => {
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO incidents (id, title, detected_at, deadline_at, nature, data_categories, subject_categories, likely_consequences, measures_taken, status, created_at, updated_at) VALUES (?, 'Victim incident', ?, ?, 'Victim nature', '[]', '[]', 'x', 'x', 'open', ?, ?)",
    )
      .bind(id, now, now + 72 * 3_600_000, now, now)
      .run();
    return id;
  },
  ruleId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const res = await call("POST", `/api/workspaces/${workspaceId}/alerts/rules`, { token: a.owner.token, body: { kind: "revenue_drop", name: "Victim rule" } });
    expectStatus(res, 201);
    return res.json.id;
  },
  reportId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const res = await call("POST", `/api/workspaces/${workspaceId}/reports`, { token: a.owner.token, body: {} });
    expectStatus(res, 201);
    return res.json.id;
  },
  shareId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const reportId = await a.id("reportId");
    const res = await call("POST", `/api/workspaces/${workspaceId}/reports/${reportId}/shares`, { token: a.owner.token, body: { days: 3 } });
    expectStatus(res, 201);
    return res.json.id;
  },
  taskId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const res = await call("POST", `/api/workspaces/${workspaceId}/tasks`, { token: a.owner.token, body: { title: "Victim task", visibleToClient: true } });
    expectStatus(res, 201);
    return res.json.id;
  },
  alertId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const ruleId = await a.id("ruleId");
    const id = crypto.randomUUID();
    await env.DB.prepare("INSERT INTO alerts (id, org_id, workspace_id, rule_id, period_key, kind, title, body, figures, status, created_at) VALUES (?, ?, ?, ?, 'victim', 'revenue_drop', 'Victim alert', 'Victim body', '{}', 'open', ?)")
      .bind(id, a.owner.orgId, workspaceId, ruleId, Date.now())
      .run();
    return id;
  },
  // AI: a finished job and one generated item of it (inserted: a queued job would write rows
  // while the proof compares them). The approval-policy route's subject kind is not a row.
  aiJobId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO ai_jobs (id, org_id, workspace_id, requested_by, kind, input, status, steps, content_ids, created_at, updated_at) VALUES (?, ?, ?, ?, 'social_post', '{\"brief\":\"Victim brief\"}', 'succeeded', '[]', '[]', ?, ?)",
    )
      .bind(id, a.owner.orgId, workspaceId, a.owner.userId, now, now)
      .run();
    return id;
  },
  contentId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const jobId = await a.id("aiJobId");
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO generated_content (id, org_id, workspace_id, job_id, variant, kind, title, body, provider, model, prompt, context, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 'social_post', 'Victim post', '{\"posts\":[]}', 'local', 'qweb-local-1', 'Victim prompt', '{}', 'draft', ?, ?, ?)",
    )
      .bind(id, a.owner.orgId, workspaceId, jobId, a.owner.userId, now, now)
      .run();
    return id;
  },
  subjectKind: async () => "content",
  scheduleId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const res = await call("POST", `/api/workspaces/${workspaceId}/ai/schedules`, { token: a.owner.token, body: { agent: "performance_analyst", cadence: "monthly", brief: "Victim brief", firstRunAt: Date.now() + 86_400_000 * 365 } });
    expectStatus(res, 201);
    return res.json.schedule.id;
  },
  // Inbox: rows inserted (connecting a mailbox would start its Durable Object's syncs meanwhile).
  mailboxId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare("INSERT INTO mailboxes (id, org_id, workspace_id, provider, address, status, created_at, updated_at) VALUES (?, ?, ?, 'gmail', ?, 'active', ?, ?)")
      .bind(id, a.owner.orgId, workspaceId, `victim-${id.slice(0, 8)}@victim.test`, now, now)
      .run();
    return id;
  },
  conversationId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const mailboxId = await a.id("mailboxId");
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO conversations (id, org_id, workspace_id, mailbox_id, thread_key, subject, snippet, last_message_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'Victim subject', 'Victim snippet', ?, ?, ?)",
    )
      .bind(id, a.owner.orgId, workspaceId, mailboxId, `victim-thread-${id}`, now, now, now)
      .run();
    return id;
  },
  // The approval path: an action of A waiting for approval (inserted: proposing needs a feature's verb).
  actionId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO actions (id, org_id, workspace_id, kind, subject_type, subject_id, summary, before, after, state, attempt_id, attempts, proposed_by, transition_id, created_at, updated_at) VALUES (?, ?, ?, 'pause_campaign', 'ad_campaign', 'victim-campaign', 'Pause Victim campaign', '{\"status\":\"ACTIVE\"}', '{\"status\":\"PAUSED\"}', 'proposed', ?, 0, ?, ?, ?, ?)",
    )
      .bind(id, a.owner.orgId, workspaceId, crypto.randomUUID(), a.owner.userId, crypto.randomUUID(), now, now)
      .run();
    return id;
  },
  // A synced ad campaign of A's integration (the ads routes' :adCampaignId; inserted like a sync would).
  adCampaignId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const integrationId = await a.id("integrationId");
    const id = `victim-${crypto.randomUUID()}`;
    await env.DB.prepare(
      "INSERT INTO ad_campaigns (integration_id, provider_id, org_id, workspace_id, source, channel, account_id, name, status, daily_budget_minor, currency, updated_at) VALUES (?, ?, ?, ?, 'meta', 'meta', 'act_1', 'Victim campaign', 'ACTIVE', 5000, 'USD', ?)",
    )
      .bind(integrationId, id, a.owner.orgId, workspaceId, Date.now())
      .run();
    return id;
  },
  // Not a row: an action kind of the settings route (the workspace check answers first).
  kind: async () => "change_budget",
  // Publishing: a library image and a draft post of A (to a Page inserted as A's synced channel).
  mediaId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const form = new FormData();
    form.set("file", new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9])], "victim.jpg", { type: "image/jpeg" }));
    const res = await call("POST", `/api/workspaces/${workspaceId}/publishing/media`, { token: a.owner.token, rawBody: form });
    expectStatus(res, 201);
    return res.json.id;
  },
  postId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const integrationId = crypto.randomUUID();
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO integrations (id, org_id, workspace_id, provider, status, label, account_key, created_at, updated_at) VALUES (?, ?, ?, 'meta', 'active', 'Victim Meta', ?, ?, ?)").bind(integrationId, a.owner.orgId, workspaceId, `victim-meta-${integrationId}`, now, now),
      env.DB.prepare("INSERT INTO social_accounts (integration_id, org_id, workspace_id, source, provider_id, kind, name, parent_id, followers, updated_at) VALUES (?, ?, ?, 'meta', ?, 'page', 'Victim Page', NULL, 10, ?)").bind(integrationId, a.owner.orgId, workspaceId, `victim-page-${integrationId}`, now),
    ]);
    const res = await call("POST", `/api/workspaces/${workspaceId}/publishing/posts`, { token: a.owner.token, body: { title: "Victim post", variants: [{ accountId: `victim-page-${integrationId}`, text: "Victim text" }] } });
    expectStatus(res, 201);
    return res.json.post.id;
  },
  // A message of A's conversation (inserted as a sync would).
  messageId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const mailboxId = await a.id("mailboxId");
    const conversationId = await a.id("conversationId");
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO inbox_messages (id, org_id, workspace_id, mailbox_id, conversation_id, provider_id, thread_key, \"from\", subject, direction, date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Victim subject', 'inbound', ?, ?)",
    ).bind(id, a.owner.orgId, workspaceId, mailboxId, conversationId, `victim-${id}`, `victim-thread-${conversationId}`, JSON.stringify({ address: "victim@victim.test", name: "Victim" }), now, now).run();
    return id;
  },
  attachmentId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const mailboxId = await a.id("mailboxId");
    // The attachment belongs to a real message of the conversation (inbox_attachments.message_id is a foreign key).
    const messageId = await a.id("messageId");
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO inbox_attachments (id, org_id, workspace_id, mailbox_id, message_id, filename, content_type, size, r2_key, created_at) VALUES (?, ?, ?, ?, ?, 'victim.pdf', 'application/pdf', 10, ?, ?)",
    ).bind(id, a.owner.orgId, workspaceId, mailboxId, messageId, `mailboxes/${mailboxId}/victim`, now).run();
    return id;
  },
  // An email campaign draft (inserted: creating one through the API needs a connected email account).
  campaignId: async (a) => {
    const workspaceId = await a.id("workspaceId");
    const integrationId = await a.id("integrationId");
    const id = crypto.randomUUID();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO campaign_drafts (id, org_id, workspace_id, integration_id, provider, name, subject, from_name, reply_to, body_html, body_text, list_id, list_name, state, provider_ref, created_at, updated_at) VALUES (?, ?, ?, ?, 'klaviyo', 'Victim campaign', 'Victim subject', 'Victim', 'victim@example.test', '<p>Victim</p>', 'Victim', 'VictimList', 'Victim list', 'draft', ?, ?, ?)",
    )
      .bind(id, a.owner.orgId, workspaceId, integrationId, id.slice(0, 10), now, now)
      .run();
    return id;
  },
  // Inbox routing: a rule and a team of organization A (through the API).
  inboxRuleId: async (a) => {
    const res = await call("POST", `/api/orgs/${a.owner.orgId}/inbox/rules`, { token: a.owner.token, body: { name: "Victim rule", conditions: [{ field: "subject", op: "contains", value: "victim" }], setCategory: "other" } });
    expectStatus(res, 201);
    return res.json.id;
  },
  teamId: async (a) => {
    const res = await call("POST", `/api/orgs/${a.owner.orgId}/inbox/teams`, { token: a.owner.token, body: { name: "Victim team", memberIds: [a.owner.userId] } });
    expectStatus(res, 201);
    return res.json.id;
  },
};

/** Resolves fixtures for one organization, each at most once. */
export function fixtureContext(owner: Tenant): FixtureContext & { known(param: string): boolean } {
  const made = new Map<string, Promise<string>>();
  const ctx = {
    owner,
    known: (param: string) => Object.hasOwn(tenantFixtures, param),
    id(param: string): Promise<string> {
      const create = tenantFixtures[param];
      if (!create) return Promise.reject(new Error(missingFixtureMessage(param)));
      if (!made.has(param)) made.set(param, create(ctx));
      return made.get(param)!;
    },
  };
  return ctx;
}

export const missingFixtureMessage = (param: string, route?: string) =>
  `${route ? `${route} has` : "A route has"} the path parameter :${param}, and tests/support/tenant-fixtures.ts has no ` +
  `fixture for it. Add \`${param}: async (a) => …\` to tenantFixtures there (create a real row of organization A ` +
  `and return its id) so that the tenant-isolation proof covers this route.`;

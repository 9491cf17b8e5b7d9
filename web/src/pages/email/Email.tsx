import { A } from "@solidjs/router";
import { createResource, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { listCampaigns, emailAccounts, type CampaignState, type CampaignSummary } from "../../lib/api/campaigns";
import { session } from "../../lib/session";
import { LinkButton } from "../../ui/Button";
import { Alert, Badge, EmptyState, Loading } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { Table } from "../../ui/Table";
import { formatIn } from "./time";
import "./email.css";

export const STATE_LABELS: Record<CampaignState, string> = { draft: "Draft", test_sent: "Test sent", scheduled: "Scheduled", sent: "Sent", failed: "Failed" };
export const stateTone = (s: CampaignState) => (s === "sent" ? "success" : s === "scheduled" ? "brand" : s === "failed" ? "danger" : s === "test_sent" ? "info" : "neutral");
export const PROVIDER_LABELS = { klaviyo: "Klaviyo", mailchimp: "Mailchimp" } as const;

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)} %`);

/** Open and click rate as bars: easier to compare down the list than numbers. */
function Rates(props: { c: CampaignSummary }) {
  const r = () => props.c.results;
  return (
    <Show when={r()} fallback={<span class="muted">{props.c.state === "sent" ? "Waiting for the next sync" : "—"}</span>}>
      <div class="email-rate" aria-label={`Opened ${pct(r()!.openRate)}, clicked ${pct(r()!.clickRate)}`}>
        <div class="email-rate-row"><span>Opens</span><span class="email-bar"><span style={{ width: `${Math.min(100, (r()!.openRate ?? 0) * 100)}%` }} /></span><span>{r()!.opens}</span></div>
        <div class="email-rate-row"><span>Clicks</span><span class="email-bar clicks"><span style={{ width: `${Math.min(100, (r()!.clickRate ?? 0) * 100 * 4)}%` }} /></span><span>{r()!.clicks}</span></div>
      </div>
    </Show>
  );
}

/** Email campaigns written in QWEB and sent through Klaviyo or Mailchimp, with their results. */
export default function Email() {
  const ws = () => session.workspace();
  const [data] = createResource(() => ws()?.id, async (id) => ({ list: await listCampaigns(id), accounts: await emailAccounts(id) }));
  const tz = () => data()?.accounts.timeZone ?? "UTC";
  const canEdit = () => session.can.editContent(ws()?.role);
  return (
    <Show when={ws()} fallback={<EmptyState title="Choose a workspace" />}>
      <PageHeader
        title="Email"
        description="Campaigns written here and sent through your Klaviyo or Mailchimp account. Opens and clicks come back with each sync."
        actions={<Show when={canEdit() && data()?.accounts.integrations.length}><LinkButton href="/email/new" variant="primary" icon="plus">New campaign</LinkButton></Show>}
      />
      <Show when={!data.error} fallback={<Alert tone="danger">{errorMessage(data.error)}</Alert>}>
        <Show when={data()} fallback={<Loading label="Loading campaigns" />}>
          <Show
            when={data()!.accounts.integrations.length}
            fallback={<EmptyState icon="mail" title="Connect Klaviyo or Mailchimp" action={<LinkButton href="/integrations" variant="primary">Open Integrations</LinkButton>}>Campaigns are sent through your email tool; connect it first.</EmptyState>}
          >
            <Card flush>
              <Table
                caption="Email campaigns"
                rows={data()!.list.campaigns}
                rowKey={(c) => c.id}
                empty={<EmptyState icon="mail" title="No campaigns yet">Write one by hand or from an email your AI copywriter drafted.</EmptyState>}
                columns={[
                  { header: "Campaign", cell: (c) => <A href={`/email/${c.id}`}>{c.name}</A> },
                  { header: "Sent through", cell: (c) => `${PROVIDER_LABELS[c.provider]} · ${c.listName}` },
                  { header: "State", cell: (c) => (c.pendingAction?.state === "proposed" ? <Badge tone="warning">Waiting for approval</Badge> : <Badge tone={stateTone(c.state)}>{STATE_LABELS[c.state]}</Badge>) },
                  { header: "When", cell: (c) => (c.state === "scheduled" ? formatIn(c.scheduledFor, tz()) : c.sentAt ? formatIn(c.sentAt, tz()) : "—") },
                  { header: "Results", cell: (c) => <Rates c={c} /> },
                ]}
              />
            </Card>
          </Show>
        </Show>
      </Show>
    </Show>
  );
}

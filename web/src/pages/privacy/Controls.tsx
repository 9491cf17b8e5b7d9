import { createSignal, For, Show, type JSX } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { formatDate, formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { Badge, RoleBadge } from "../../ui/Feedback";
import { TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { Modal } from "../../ui/Modal";
import { Table } from "../../ui/Table";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { consentStore } from "../../components/consent";
import { CookieSettingsLink } from "../../components/ConsentBanner";
import type { Overview } from "../../lib/api/privacy";

export function Switch(props: { label: string; description: JSX.Element; checked: boolean; onChange: (v: boolean) => Promise<void>; testId?: string }) {
  const { busy, run } = createSubmit();
  const id = `switch-${props.label.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div class="switch-row">
      <div>
        <strong id={id}>{props.label}</strong>
        <p class="muted">{props.description}</p>
      </div>
      <button
        type="button"
        role="switch"
        class="switch"
        aria-checked={props.checked}
        aria-labelledby={id}
        disabled={busy()}
        data-testid={props.testId}
        onClick={() => run(() => props.onChange(!props.checked))}
      />
    </div>
  );
}

/** P22: the consent in force, changeable here as from the banner. */
export function ConsentCard(props: { overview: Overview; onChange: () => void }) {
  const save = async (functional: boolean, analytics: boolean) => {
    await consentStore.choose(functional, analytics, true, "settings");
    props.onChange();
  };
  const c = () => props.overview.consent;
  return (
    <Card id="consent" title="Cookies and consent" description={<>Essential cookies keep you signed in and are always on. The rest is up to you. <CookieSettingsLink /></>}>
      <Switch label="Functional" description="Remember your preferences: dashboard views, filters, UI settings." checked={c().functional} onChange={(v) => save(v, c().analytics)} />
      <Switch label="Analytics" description="Count the pages and features you use, first-party only, to improve QWEB." checked={c().analytics} onChange={(v) => save(c().functional, v)} testId="consent-analytics" />
      <p class="muted small">{c().decidedAt ? `Last changed ${formatDateTime(c().decidedAt)} under policy ${c().policyVersion}.` : "You have not chosen yet: nothing but essential cookies is used."}</p>
    </Card>
  );
}

/** P19/P20: restriction, objection and the CCPA opt-out, for the user. */
export function ProcessingCard(props: { overview: Overview; onChange: () => void }) {
  const set = async (body: Record<string, boolean>) => {
    await api("/api/privacy/processing", { method: "PUT", body });
    props.onChange();
  };
  const p = () => props.overview.processing;
  return (
    <Card id="processing" title="How your data is used" description="Your data is kept either way; these switches stop what is done with it.">
      <Switch label="Restrict processing" description="Stop AI processing, automations and analytics of your data while keeping it (for example while you contest its accuracy)." checked={p().restricted} onChange={(v) => set({ restricted: v })} testId="restrict" />
      <Switch label="Object to processing" description="Object to processing based on our legitimate interests: no AI processing, automations or analytics of your data." checked={p().objected} onChange={(v) => set({ objected: v })} />
      <Switch label="Do not sell my personal information" description="QWEB sells no personal information. Your choice is recorded anyway, and no feature changes." checked={p().saleOptOut} onChange={(v) => set({ saleOptOut: v })} />
    </Card>
  );
}

function DeleteOrg(props: { org: Overview["organizations"][number] | null; onClose: () => void; onDone: () => void }) {
  const [password, setPassword] = createSignal("");
  const { busy, error, run } = createSubmit({ show: "inline" });
  const go = () =>
    run(async () => {
      await api(`/api/privacy/orgs/${props.org!.id}`, { method: "DELETE", body: { password: password() } });
      toast.success(`"${props.org!.name}" will be deleted in 30 days`);
      props.onDone();
      props.onClose();
    });
  return (
    <Modal
      open={!!props.org}
      title={`Delete ${props.org?.name ?? ""}?`}
      size="sm"
      onClose={props.onClose}
      footer={
        <>
          <Button onClick={props.onClose}>Cancel</Button>
          <Button variant="danger" loading={busy()} onClick={go}>
            Delete organization
          </Button>
        </>
      }
    >
      <p>Every member loses access at once. Its workspaces, connections and data are erased in 30 days; until then an owner can restore it here.</p>
      <TextField label="Your password" type="password" autocomplete="current-password" value={password()} onValue={setPassword} error={error()} />
    </Modal>
  );
}

/** Restriction, objection and deletion of the organizations you manage. */
export function OrganizationsCard(props: { overview: Overview; onChange: () => void }) {
  const [deleting, setDeleting] = createSignal<Overview["organizations"][number] | null>(null);
  const managed = () => props.overview.organizations.filter((o) => o.role === "owner" || o.role === "admin");
  const set = async (orgId: string, body: Record<string, boolean>) => {
    await api(`/api/privacy/orgs/${orgId}/processing`, { method: "PUT", body });
    props.onChange();
  };
  async function restore(orgId: string) {
    try {
      await api(`/api/privacy/orgs/${orgId}/restore`, { method: "POST" });
      toast.success("Organization restored");
      props.onChange();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }
  return (
    <Show when={managed().length}>
      <Card id="organizations" title="Your organizations" description="As an owner or admin you decide how an organization's data is processed; owners can delete it.">
        <For each={managed()}>
          {(o) => (
            <div class="stack" style={{ "margin-bottom": "1rem" }}>
              <h3>
                {o.name} <RoleBadge role={o.role} /> {o.deletedAt && <Badge tone="danger">deleted on {formatDate(o.purgeAfter)}</Badge>}
              </h3>
              <Show
                when={!o.deletedAt}
                fallback={
                  <Show when={o.role === "owner"}>
                    <div>
                      <Button onClick={() => restore(o.id)}>Restore {o.name}</Button>
                    </div>
                  </Show>
                }
              >
                <Switch label={`Restrict processing of ${o.name}`} description="No AI processing, automations or analytics of this organization's data." checked={o.restricted} onChange={(v) => set(o.id, { restricted: v })} />
                <Switch label={`Object to processing of ${o.name}`} description="Object to processing based on legitimate interests for this organization." checked={o.objected} onChange={(v) => set(o.id, { objected: v })} />
                <Show when={o.role === "owner"}>
                  <div>
                    <Button variant="danger-ghost" icon="trash" onClick={() => setDeleting(o)}>
                      Delete {o.name}
                    </Button>
                  </div>
                </Show>
              </Show>
            </div>
          )}
        </For>
        <DeleteOrg org={deleting()} onClose={() => setDeleting(null)} onDone={props.onChange} />
      </Card>
    </Show>
  );
}

/** P25: the policy in force and the versions you accepted. */
export function PolicyCard(props: { overview: Overview }) {
  const p = () => props.overview.policy;
  return (
    <Card id="policy" title="Privacy policy" description={<>Version {p().current.version} in force since {formatDate(p().current.effectiveDate)}. <a href="/privacy">Read it</a></>}>
      <ul class="stack" data-testid="policy-acceptances">
        <For each={[...p().acceptances].reverse()}>
          {(a) => (
            <li>
              Accepted version <strong>{a.version}</strong> on {formatDateTime(a.acceptedAt)}
            </li>
          )}
        </For>
      </ul>
    </Card>
  );
}

/** CCPA right to know (categories): what QWEB keeps, why, and for how long, from the registry. */
export function InventoryCard(props: { overview: Overview }) {
  const [open, setOpen] = createSignal(false);
  return (
    <Card
      id="inventory"
      title="What QWEB keeps"
      description="Every kind of data QWEB stores, why, how long, and whether your export includes it."
      flush
      actions={<Button onClick={() => setOpen(!open())}>{open() ? "Hide" : "Show"}</Button>}
    >
      <Show when={open()}>
        <Table
          caption="What QWEB keeps"
          rows={props.overview.inventory}
          rowKey={(i) => i.name}
          columns={[
            { header: "Data", cell: (i) => <span class="mono small">{i.name}</span> },
            { header: "Why", cell: (i) => i.purpose },
            { header: "How long", cell: (i) => i.retention, class: "hide-sm" },
            { header: "In your export", cell: (i) => (i.exported ? <Badge tone="success">yes</Badge> : <span class="muted">—</span>) },
          ]}
        />
      </Show>
    </Card>
  );
}

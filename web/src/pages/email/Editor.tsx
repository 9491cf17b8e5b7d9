import { A, useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createResource, createSignal, Show, untrack } from "solid-js";
import { errorMessage } from "../../lib/api";
import * as api from "../../lib/api/campaigns";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, Badge, Loading } from "../../ui/Feedback";
import { SelectField, TextArea, TextField } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { confirmDialog } from "../../ui/Modal";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { AiSource } from "./AiSource";
import { PROVIDER_LABELS, STATE_LABELS, stateTone } from "./Email";
import { formatIn, utcToZoned, zonedToUtc } from "./time";
import "./email.css";

const EDITABLE = new Set(["draft", "test_sent", "failed"]);
const STARTER = "<h1>Hello!</h1>\n<p>Write your message here.</p>";

/** Writes, tests, schedules and sends one campaign (`/email/new` or `/email/:campaignId`). */
export default function Editor() {
  const params = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const ws = () => session.workspace()!;
  const isNew = () => params.campaignId === "new";
  const [contentId, setContentId] = createSignal<string | undefined>(isNew() && typeof search.content === "string" ? search.content : undefined);
  const [accounts] = createResource(() => session.workspace()?.id, api.emailAccounts);
  const [loaded, { mutate }] = createResource(() => (!isNew() && session.workspace() ? params.campaignId : null), (id) => api.getCampaign(ws().id, id).then((r) => r.campaign));
  const campaign = () => (isNew() ? null : loaded());
  const tz = () => accounts()?.timeZone ?? "UTC";
  const [action, { refetch: refetchAction }] = createResource(() => campaign()?.pendingAction?.id, (id) => api.getSendAction(ws().id, id));

  const [target, setTarget] = createSignal("");
  const [name, setName] = createSignal("");
  const [subject, setSubject] = createSignal("");
  const [preheader, setPreheader] = createSignal("");
  const [fromName, setFromName] = createSignal(session.workspace()?.name ?? "");
  const [replyTo, setReplyTo] = createSignal(session.user()?.email ?? "");
  const [body, setBody] = createSignal(contentId() ? "" : STARTER);
  const [testTo, setTestTo] = createSignal(session.user()?.email ?? "");
  const [date, setDate] = createSignal("");
  const [time, setTime] = createSignal("09:00");
  const { busy, fail, run: start } = createSubmit();

  /** Subject, preheader and body from an AI email (the picker, "Write with AI", or ?content=). */
  const fillFrom = (d: api.ContentDraft) => {
    setContentId(d.contentId);
    setSubject(d.subject);
    setPreheader(d.preheader);
    setBody(d.bodyHtml);
    if (!name().trim()) setName(d.title.slice(0, 100));
  };
  // Opened as /email/new?content=<id>: show that email's fields at once.
  const linked = contentId();
  const [linkedDraft] = createResource(() => (linked ? session.workspace()?.id : undefined), (id) => api.draftFromContent(id, linked!));
  createEffect(() => { if (linkedDraft.state === "ready") { const d = linkedDraft(); untrack(() => fillFrom(d)); } });

  createEffect(() => {
    const c = loaded();
    if (!c) return;
    setTarget(`${c.integrationId}|${c.listId}`); setName(c.name); setSubject(c.subject); setPreheader(c.preheader); setFromName(c.fromName); setReplyTo(c.replyTo); setBody(c.bodyHtml);
    if (c.scheduledFor) { const z = utcToZoned(c.scheduledFor, tz()); setDate(z.date); setTime(z.time); }
  });
  createEffect(() => {
    const a = accounts();
    if (a && !target() && isNew()) { const i = a.integrations.find((x) => x.lists.length); if (i) setTarget(`${i.id}|${i.lists[0]!.id}`); }
    if (!date()) setDate(utcToZoned(Date.now() + 86_400_000, tz()).date);
  });

  const options = createMemo(() => (accounts()?.integrations ?? []).flatMap((i) => i.lists.map((l) => ({ value: `${i.id}|${l.id}`, label: `${PROVIDER_LABELS[i.provider]} · ${i.label} · ${l.name}${l.memberCount !== null ? ` (${l.memberCount.toLocaleString()})` : ""}` }))));
  const provider = () => { const id = target().split("|")[0]; return accounts()?.integrations.find((i) => i.id === id)?.provider ?? campaign()?.provider; };
  const editable = () => isNew() || EDITABLE.has(campaign()?.state ?? "");
  const canEdit = () => session.can.editContent(session.workspace()?.role);

  const run = (what: string, fn: () => Promise<api.Campaign | void>, done: string) =>
    start(async () => {
      const c = await fn();
      if (c) mutate(c);
      toast.success(done);
    }, what);

  const save = async (e: Event) => {
    e.preventDefault();
    const [integrationId, listId] = target().split("|");
    if (!integrationId || !listId) return fail("Pick a list or audience");
    if (isNew()) {
      await run("save", async () => {
        const base = { integrationId, listId, name: name() || undefined, fromName: fromName(), replyTo: replyTo(), preheader: preheader() || undefined };
        const body2: api.CampaignCreate = contentId() ? { ...base, contentId: contentId(), subject: subject() || undefined, bodyHtml: body() || undefined } : { ...base, subject: subject(), bodyHtml: body() };
        const { campaign: c } = await api.createCampaign(ws().id, body2);
        navigate(`/email/${c.id}`, { replace: true });
      }, "Draft saved");
    } else {
      const fromAi = contentId() && contentId() !== campaign()!.contentId ? { contentId: contentId() } : {};
      await run("save", async () => (await api.updateCampaign(ws().id, campaign()!.id, { name: name(), subject: subject(), preheader: preheader(), bodyHtml: body(), listId, fromName: fromName(), replyTo: replyTo(), ...fromAi })).campaign, "Changes saved");
    }
  };
  const test = () => run("test", async () => (await api.sendTest(ws().id, campaign()!.id, testTo().split(/[\s,;]+/).filter(Boolean))).campaign, "Test sent");
  const schedule = () => {
    const at = zonedToUtc(date(), time(), tz());
    if (at === null) return fail("Pick a date and a time");
    return run("schedule", async () => (await api.scheduleCampaign(ws().id, campaign()!.id, at)).campaign, `Sent for approval: ${formatIn(at, tz())}`);
  };
  const sendNow = async () => {
    const c = campaign()!;
    if (!(await confirmDialog({ title: "Send this campaign now?", message: <>It goes to everyone on <strong>{c.listName}</strong> through {PROVIDER_LABELS[c.provider]} as soon as it is approved. This cannot be undone.</>, confirmLabel: "Send now", danger: true }))) return;
    await run("send", async () => (await api.sendCampaign(ws().id, c.id)).campaign, "Sent for approval");
  };
  const unschedule = () => run("unschedule", async () => (await api.unscheduleCampaign(ws().id, campaign()!.id)).campaign, "Send cancelled; the campaign is a draft again");
  const reload = async () => mutate((await api.getCampaign(ws().id, campaign()!.id)).campaign);
  const approve = () =>
    run("approve", async () => {
      await api.approveSend(ws().id, campaign()!.pendingAction!.id);
      // A send now runs within seconds of the approval: show where it got to.
      for (let i = 0; i < 20; i++) {
        await reload();
        if (!campaign()?.pendingAction || campaign()!.pendingAction!.state === "scheduled") break;
        await new Promise((r) => setTimeout(r, 500));
      }
      void refetchAction();
    }, "Approved");

  const previewDoc = () => `<!doctype html><html><head><meta charset="utf-8"><base target="_blank"></head><body style="margin:0;padding:16px">${body()}</body></html>`;

  return (
    <Show when={session.workspace()}>
      <Show when={isNew() || loaded()} fallback={<Show when={loaded.error} fallback={<Loading label="Loading the campaign" />}><Alert tone="danger">{errorMessage(loaded.error)}</Alert></Show>}>
        <PageHeader
          title={isNew() ? "New email campaign" : campaign()!.name}
          eyebrow={<A href="/email">Email</A>}
          description={
            <Show when={campaign()} fallback={contentId() ? "Subject, preheader and body come from your AI email; change anything before saving." : "Write the email, pick who gets it, send yourself a test, then schedule or send."}>
              {(c) => <><Badge tone={stateTone(c().state)}>{STATE_LABELS[c().state]}</Badge> {PROVIDER_LABELS[c().provider]} · {c().listName}{c().state === "scheduled" ? ` · ${formatIn(c().scheduledFor, tz())} (${tz()})` : ""}{c().sentAt ? ` · sent ${formatIn(c().sentAt, tz())}` : ""}</>}
            </Show>
          }
        />
        <Show when={linkedDraft.error}><Alert tone="danger" title="The AI email could not be loaded">{errorMessage(linkedDraft.error)}</Alert></Show>
        <Show when={campaign()?.lastError}><Alert tone="warning" title="The last attempt did not go through">{campaign()!.lastError}</Alert></Show>
        <Show when={campaign()?.results}>
          {(r) => <Card title="Results"><p>{r().recipients.toLocaleString()} recipients · {r().opens.toLocaleString()} opened ({((r().openRate ?? 0) * 100).toFixed(1)} %) · {r().clicks.toLocaleString()} clicked ({((r().clickRate ?? 0) * 100).toFixed(1)} %) · {r().unsubscribes} unsubscribed</p></Card>}
        </Show>
        <div class="email-editor">
          <div class="stack">
          <Show when={canEdit() && editable()}>
            <Card title="Start from AI" description="Fill the subject, preheader and body from an AI email, or have AI write one now.">
              <AiSource workspaceId={ws().id} selected={contentId()} onFill={fillFrom} />
            </Card>
          </Show>
          <Card title="Message">
            <form class="stack" onSubmit={save} aria-label="Campaign">
              <SelectField label="List or audience" options={options()} value={target()} onValue={setTarget} disabled={!editable()} hint={accounts()?.integrations.some((i) => i.source === "live") ? "Some lists come straight from the provider (not synced yet)." : undefined} />
              <TextField label="Campaign name" optional value={name()} onValue={setName} maxLength={100} disabled={!editable()} hint="Only your team sees it" />
              <TextField label="Subject" value={subject()} onValue={setSubject} maxLength={150} required={!contentId()} disabled={!editable()} />
              <TextField label="Preheader" optional value={preheader()} onValue={setPreheader} maxLength={150} disabled={!editable()} hint="The line inboxes show after the subject" />
              <div class="grid-2">
                <TextField label="From name" value={fromName()} onValue={setFromName} maxLength={100} required disabled={!editable()} />
                <TextField label="Reply-to address" type="email" value={replyTo()} onValue={setReplyTo} required disabled={!editable()} />
              </div>
              <div class="email-body-input"><TextArea label="Body (HTML)" value={body()} onValue={setBody} required={!contentId()} disabled={!editable()} /></div>
              <Show when={canEdit() && editable()}><div><Button type="submit" variant="primary" loading={busy("save")}>{isNew() ? "Save draft" : "Save changes"}</Button></div></Show>
            </form>
          </Card>
          </div>
          <div class="stack">
            <Card title="Preview">
              <div class="email-preview-head"><strong>{subject() || "(no subject)"}</strong><br /><span class="muted">{preheader()}</span></div>
              <iframe class="email-preview" title="Email preview" sandbox="" srcdoc={previewDoc()} />
            </Card>
            <Show when={campaign() && canEdit()}>
              <Card title="Test, schedule, send">
                <div class="stack">
                  <Show when={campaign()!.pendingAction?.state === "proposed"}>
                    <Alert tone="info" title="Waiting for approval">
                      {action()?.summary ?? "This send waits for an approver."} <Show when={action()?.canApprove}><Button size="sm" variant="primary" onClick={approve} loading={busy("approve")}>Approve send</Button></Show>
                    </Alert>
                    <div><Button onClick={unschedule} loading={busy("unschedule")}>Cancel send</Button></div>
                  </Show>
                  <Show when={editable() && !campaign()!.pendingAction}>
                    <div class="email-actions">
                      <TextField label="Send a test to" value={testTo()} onValue={setTestTo} hint="Up to 5 addresses, separated by commas" />
                      <Button onClick={test} loading={busy("test")}>Send test</Button>
                    </div>
                    <Show when={campaign()!.testSentAt}><p class="muted">Last test {formatIn(campaign()!.testSentAt, tz())} to {campaign()!.testSentTo.join(", ")}</p></Show>
                    <div class="email-actions">
                      <TextField label="Date" type="date" value={date()} onValue={setDate} />
                      <TextField label={`Time (${tz()})`} type="time" value={time()} onValue={setTime} step={provider() === "mailchimp" ? 900 : 60} hint={provider() === "mailchimp" ? "Mailchimp sends on the quarter-hour" : undefined} />
                      <Button variant="primary" onClick={schedule} loading={busy("schedule")}>Schedule</Button>
                    </div>
                    <div><Button variant="danger" onClick={sendNow} loading={busy("send")}>Send now</Button></div>
                  </Show>
                  <Show when={campaign()!.state === "scheduled"}>
                    <p>Approved. Goes out {formatIn(campaign()!.scheduledFor, tz())} ({tz()}).</p>
                    <div><Button onClick={unschedule} loading={busy("unschedule")}>Cancel schedule</Button></div>
                  </Show>
                  <Show when={campaign()!.state === "sent"}><p>Sent. Opens and clicks appear here after the next sync of {PROVIDER_LABELS[campaign()!.provider]}.</p></Show>
                </div>
              </Card>
            </Show>
          </div>
        </div>
      </Show>
    </Show>
  );
}

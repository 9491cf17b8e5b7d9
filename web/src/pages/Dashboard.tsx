import { A } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { roleLabel } from "../lib/format";
import { session } from "../lib/session";
import { Badge } from "../ui/Feedback";
import { Icon, type IconName } from "../ui/Icon";
import { PageHeader } from "../ui/Layout";
import { onboardingProgress } from "./onboarding";

type Step = { done: boolean; title: string; text: string; href: string; cta: string; soon?: boolean };

/** The welcome and first-steps checklist; `embedded` shows only the checklist (above a dashboard with figures). */
export default function Dashboard(props: { embedded?: boolean }) {
  const first = () => session.user()?.name.split(/\s+/)[0] ?? "";
  const [progress] = createResource(
    () => (session.isOrgMember() && session.org() ? { orgId: session.org()!.id, admin: session.isOrgAdmin(), workspaces: session.workspaces() } : undefined),
    (k) => onboardingProgress(k.orgId, k.admin, k.workspaces),
  );
  const steps = (): Step[] => [
    { done: session.workspaces().length > 0, title: "Create a workspace", text: "One per client or brand keeps data, people and reports apart.", href: "/workspaces", cta: "Open workspaces" },
    { done: !!progress()?.invited, title: "Invite your team and clients", text: "Give clients portal access as viewers, editors or admins.", href: "/members", cta: "Invite people" },
    { done: !!progress()?.connected, title: "Connect integrations", text: "Social pages, ad accounts, analytics, shops and mailboxes.", href: "/integrations", cta: "Open integrations" },
  ];
  const doneCount = () => steps().filter((s) => s.done).length;
  const previews: { icon: IconName; title: string; text: string }[] = [
    { icon: "reports", title: "Unified dashboards", text: "Reach, spend, revenue and replies across every channel." },
    { icon: "ads", title: "Budget pacing", text: "Alerts before a campaign runs over or under its budget." },
    { icon: "inbox", title: "AI inbox", text: "Comments, DMs and email triaged and drafted for you." },
  ];
  return (
    <>
      <Show when={!props.embedded}>
      <PageHeader
        title={`Welcome${first() ? `, ${first()}` : ""}`}
        description={
          <Show when={session.org()} fallback="You are not part of an organization yet.">
            {(o) => <>You are in <strong>{o().name}</strong>{session.workspace() ? <> · workspace <strong>{session.workspace()!.name}</strong></> : null}.</>}
          </Show>
        }
      />
      </Show>
      {/* Above a dashboard with figures, a finished checklist gives way to them. */}
      <Show when={session.isOrgMember() && !(props.embedded && !progress.loading && doneCount() === 3)}>
        <section class="card" aria-labelledby="getting-started">
          <div class="card-header">
            <div>
              <h2 class="card-title" id="getting-started">Get started</h2>
              <p class="card-description">
                Three steps to your first client dashboard. <Show when={!progress.loading}>{doneCount() === 3 ? "All done." : `${doneCount()} of 3 done.`}</Show>
              </p>
            </div>
          </div>
          <ol class="steps" aria-busy={progress.loading ? "true" : undefined}>
            <For each={steps()}>
              {(s, i) => (
                <li class="step" classList={{ "step-done": s.done }}>
                  <span class="step-mark" aria-hidden="true">
                    {s.done ? <Icon name="check" size={15} /> : i() + 1}
                  </span>
                  <div class="step-text">
                    <h3>
                      {s.title} {s.done && <span class="sr-only">(done)</span>}
                      {s.soon && <Badge tone="brand">Soon</Badge>}
                    </h3>
                    <p>{s.text}</p>
                  </div>
                  <A href={s.href} class="btn btn-secondary btn-sm">
                    {s.cta}
                  </A>
                </li>
              )}
            </For>
          </ol>
        </section>
      </Show>
      <Show when={!session.isOrgMember() && session.workspace()}>
        {(w) => (
          <section class="card card-pad portal-welcome" aria-labelledby="portal-welcome">
            <h2 class="card-title" id="portal-welcome">
              {w().name} is shared with you
            </h2>
            <p class="card-description">
              {session.org()?.name} gave you {roleLabel[w().role]?.toLowerCase() ?? w().role} access. Its dashboards and reports will appear here as they are built; meanwhile you can see which accounts it connects.
            </p>
            <div class="portal-welcome-actions">
              <A href="/integrations" class="btn btn-secondary btn-sm">
                See connected accounts
              </A>
            </div>
          </section>
        )}
      </Show>
      <Show when={!props.embedded}>
      <div class="grid-3">
        <For each={previews}>
          {(p) => (
            <div class="tile">
              <span class="tile-icon">
                <Icon name={p.icon} size={18} />
              </span>
              <h3>
                {p.title} <Badge tone="brand">Soon</Badge>
              </h3>
              <p>{p.text}</p>
            </div>
          )}
        </For>
      </div>
      </Show>
    </>
  );
}

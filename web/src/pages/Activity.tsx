import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { errorMessage } from "../lib/api";
import { orgActivity, type ActivityItem } from "../lib/api/activity";
import { formatDateTime, timeAgo } from "../lib/format";
import { session } from "../lib/session";
import { Button } from "../ui/Button";
import { Alert, Badge, EmptyState, SkeletonRows } from "../ui/Feedback";
import { Card, PageHeader } from "../ui/Layout";
import { Table } from "../ui/Table";

const PAGE_SIZE = 25;
const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
type Page = { items: ActivityItem[]; nextCursor: string | null };
// The API may name the target (a provider, a workspace, a person); older entries carry only its type.
type Entry = ActivityItem & { targetLabel?: string | null; targetName?: string | null };
const targetOf = (i: Entry) => i.targetLabel ?? i.targetName ?? (i.targetType ? cap(i.targetType.replace(/[-_]+/g, " ")) : null);

type Tone = "success" | "danger" | "warning" | "neutral";
function outcome(s: number | string | null): { tone: Tone; label: string } | null {
  if (s === null || s === undefined || s === "") return null;
  const n = typeof s === "number" ? s : Number(s);
  if (Number.isFinite(n)) {
    if (n < 400) return null; // succeeded: no badge, the action says it all
    return { tone: n === 401 || n === 403 ? "warning" : "danger", label: n === 401 || n === 403 ? `Denied (${n})` : n === 429 ? "Throttled (429)" : `Failed (${n})` };
  }
  return /^(ok|success)$/i.test(String(s)) ? null : { tone: /denied|forbidden/i.test(String(s)) ? "warning" : "danger", label: String(s) };
}

function ActivityTable(props: { orgId: string }) {
  // Cursors of the pages before the current one, so "Previous" can go back.
  const [stack, setStack] = createSignal<(string | null)[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [page, { refetch }] = createResource(
    () => ({ orgId: props.orgId, cursor: cursor() }),
    (k) => orgActivity(k.orgId, { limit: PAGE_SIZE, cursor: k.cursor }),
  );
  const next = () => {
    const n = page()?.nextCursor;
    if (!n) return;
    setStack((s) => [...s, cursor()]);
    setCursor(n);
  };
  const prev = () => {
    const s = stack();
    setCursor(s.at(-1) ?? null);
    setStack(s.slice(0, -1));
  };
  return (
    <Card
      id="activity"
      title="Recent activity"
      description="Sign-ins, changes and access decisions across the organization, newest first."
      flush
      actions={
        <Button icon="refresh" size="sm" onClick={() => refetch()} loading={page.loading}>
          Refresh
        </Button>
      }
    >
      <Switch>
        <Match when={page.error}>
          <div class="card-pad">
            <Alert tone="danger">{errorMessage(page.error)}</Alert>
          </div>
        </Match>
        <Match when={page.loading && !page.latest}>
          <SkeletonRows cols={5} rows={6} />
        </Match>
        <Match when={page.latest}>
          <Table
            caption="Activity log"
            rows={page.latest!.items}
            rowKey={(i) => i.id}
            empty={<EmptyState icon="activity" title="No activity yet">Actions people take in this organization will be listed here.</EmptyState>}
            columns={[
              {
                header: "Action",
                cell: (i) => (
                  <div class="cell-main">
                    <span class="cell-title">
                      {i.label}
                      <Show when={outcome(i.status)}>{(o) => <Badge tone={o().tone}>{o().label}</Badge>}</Show>
                    </span>
                    <Show when={targetOf(i)}>{(t) => <span class="cell-sub">{t()}</span>}</Show>
                  </div>
                ),
              },
              { header: "Who", cell: (i) => <span>{i.userName ?? <span class="muted">QWEB (automatic)</span>}</span> },
              { header: "IP address", cell: (i) => <span class="mono nowrap">{i.ip ?? "—"}</span>, class: "hide-sm" },
              {
                header: "Device",
                cell: (i) => (
                  <div class="cell-main">
                    <span class="nowrap">{i.userAgent ? i.device : "—"}</span>
                    {i.deviceClass && i.deviceClass !== "unknown" && <span class="cell-sub">{cap(i.deviceClass)}</span>}
                  </div>
                ),
              },
              { header: "Time", cell: (i) => <time class="nowrap" datetime={new Date(i.createdAt).toISOString()} title={formatDateTime(i.createdAt)}>{timeAgo(i.createdAt)}</time> },
            ]}
          />
          <Show when={page.latest!.items.length > 0 || stack().length > 0}>
          <nav class="pager" aria-label="Activity pages">
            <span class="muted small">Page {stack().length + 1}</span>
            <div class="pager-buttons">
              <Button size="sm" icon="chevronLeft" onClick={prev} disabled={stack().length === 0 || page.loading}>
                Previous
              </Button>
              <Button size="sm" onClick={next} disabled={!page.latest?.nextCursor || page.loading}>
                Next
              </Button>
            </div>
          </nav>
          </Show>
        </Match>
      </Switch>
    </Card>
  );
}

export default function Activity() {
  return (
    <>
      <PageHeader title="Activity log" description={<>Who did what in <strong>{session.org()?.name}</strong>, from where and on which device.</>} />
      <Show
        when={session.isOrgAdmin() ? session.org()?.id : undefined}
        keyed
        fallback={
          <Card>
            <EmptyState icon="lock" title="Only owners and admins can see the activity log">
              Ask an owner of your organization if you need this information.
            </EmptyState>
          </Card>
        }
      >
        {(orgId) => <ActivityTable orgId={orgId} />}
      </Show>
    </>
  );
}

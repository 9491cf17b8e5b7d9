import { createResource, For, Match, Switch } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { Alert, Badge, EmptyState, SkeletonRows } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import "../../components/privacy.css";

type Notice = { id: string; kind: string; title: string; body: string; link: string | null; createdAt: number; readAt: number | null };

const tone = (k: string) => (k === "breach" || k.endsWith("alert") ? "danger" : k === "policy" ? "brand" : "neutral");

/** In-app notices: policy changes (P25), breach notices (P24), request deadlines (P21), deletions. */
export default function Notifications() {
  const [data, { refetch }] = createResource(() => api<{ notifications: Notice[] }>("/api/notifications"));
  async function read(id: string) {
    await api(`/api/notifications/${id}/read`, { method: "POST" }).catch(() => {});
    void refetch();
  }
  return (
    <>
      <PageHeader title="Notifications" description="Messages from QWEB: integrations that need you, policy updates, security notices and the status of your requests." />
      <Switch>
        <Match when={data.error}>
          <Alert tone="danger">{errorMessage(data.error)}</Alert>
        </Match>
        <Match when={!data.latest}>
          <SkeletonRows rows={3} cols={2} />
        </Match>
        <Match when={data.latest!.notifications.length === 0}>
          <EmptyState icon="inbox" title="Nothing new">
            Integrations that need reconnecting, policy updates and security notices will appear here.
          </EmptyState>
        </Match>
        <Match when={data.latest}>
          <div class="privacy-grid">
            <For each={data.latest!.notifications}>
              {(n) => (
                <Card
                  title={n.title}
                  description={
                    <>
                      {formatDateTime(n.createdAt)} <Badge tone={tone(n.kind)}>{n.kind}</Badge> {!n.readAt && <Badge tone="info" dot>new</Badge>}
                    </>
                  }
                  actions={!n.readAt ? <Button size="sm" onClick={() => read(n.id)}>Mark read</Button> : undefined}
                >
                  <p style={{ "white-space": "pre-line", margin: 0 }}>{n.body}</p>
                  {n.link && n.link !== "/notifications" && (
                    <p>
                      <a href={n.link}>{n.kind === "integration" ? "Go to Integrations" : "Open"}</a>
                    </p>
                  )}
                </Card>
              )}
            </For>
          </div>
        </Match>
      </Switch>
    </>
  );
}

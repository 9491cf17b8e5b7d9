import { createResource, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { session } from "../../lib/session";
import { Alert, Loading } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { getPatterns } from "../../lib/api/ai";
import { ContentTabs } from "./Tabs";
import "./content.css";

export default function Insights() {
  const [data] = createResource(() => session.workspace()?.id, getPatterns);
  return (
    <>
      <PageHeader title="Content intelligence" description="When your audience engages and what works, from your synced figures. Recomputed every 30 days." />
      <ContentTabs />
      <Show when={data()} fallback={<Show when={data.error} fallback={<Loading />}><Alert tone="danger">{errorMessage(data.error)}</Alert></Show>}>
        {(d) => (
          <div class="grid-2">
            <Card title="Best posting times" description={<>In {d().patterns.timeZone}, from {d().patterns.source}.</>}>
              <ol>
                <For each={d().patterns.bestTimes} fallback={<li class="muted">Not enough history yet.</li>}>{(t: any) => <li>{t.weekday} at {String(t.hour).padStart(2, "0")}:00 <small class="muted">({t.basis}, score {t.score})</small></li>}</For>
              </ol>
            </Card>
            <Card title="Formats and lengths">
              <Show when={d().patterns.postFormats?.length}>
                <h3 class="card-subtitle">Social posts</h3>
                <ul>
                  <For each={d().patterns.postFormats}>{(f) => <li>{f.format}: {f.engagementRate}% engagement per person reached over {f.posts} post(s)</li>}</For>
                </ul>
              </Show>
              <h3 class="card-subtitle">Email</h3>
              <ul>
                <For each={d().patterns.formats} fallback={<li class="muted">No email campaigns synced yet.</li>}>{(f: any) => <li>{f.format}: {f.openRate}% opens over {f.campaigns} campaign(s)</li>}</For>
              </ul>
            </Card>
            <Card title="Trend" description={<>Revenue over the last 8 weeks is {d().patterns.trend.direction} ({d().patterns.trend.changePct}%).</>}>
              <ul><For each={d().patterns.trend.weeks}>{(w: any) => <li>Week of {w.week}: {w.orders} orders</li>}</For></ul>
              <small class="muted">Computed {formatDateTime(d().computedAt)} · refreshed after {formatDateTime(d().expiresAt)}</small>
            </Card>
          </div>
        )}
      </Show>
    </>
  );
}

import { createSignal, For } from "solid-js";
import { Button } from "../../ui/Button";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { resetLayout, saveLayout, type Layout, type Widget } from "./api";

const CHOICES: [string, string][] = [
  ["revenue_net", "Revenue (net)"], ["revenue_gross", "Revenue (gross)"], ["orders", "Orders"], ["aov", "Average order value"], ["refunds", "Refunds"], ["products_sold", "Products sold"],
  ["sessions", "Sessions"], ["users", "Users"], ["new_users", "New users"], ["conversions", "Conversions"], ["conversion_rate", "Conversion rate"],
  ["email_sends", "Emails sent"], ["email_opens", "Opens"], ["open_rate", "Open rate"], ["click_rate", "Click rate"], ["email_revenue", "Email revenue"], ["list_growth", "List growth"],
  ["ad_spend", "Ad spend"], ["roas", "ROAS"], ["cpa", "CPA"], ["ctr", "CTR"], ["cpc", "CPC"], ["ad_conversions", "Ad conversions"],
  ["social_reach", "Social reach"], ["social_engagement", "Social engagement"], ["social_followers", "Followers"], ["post_engagement", "Post engagement"],
  ["chart:revenue_net", "Chart: revenue (net)"], ["chart:orders", "Chart: orders"], ["chart:sessions", "Chart: sessions"], ["chart:email_opens", "Chart: email opens"], ["chart:ad_spend", "Chart: ad spend"], ["chart:social_reach", "Chart: social reach"],
  ["breakdown:product", "Table: top products"], ["breakdown:channel", "Table: channels"], ["breakdown:landing_page", "Table: landing pages"], ["breakdown:campaign", "Table: campaigns"], ["breakdown:ad_campaign", "Table: ad campaigns"], ["breakdown:post", "Table: top posts"],
];
const labelOf = (k: string) => CHOICES.find(([c]) => c === k)?.[1] ?? k;

/** Choose, order and size the overview's widgets; saved for the whole workspace. */
export function Customize(props: { ws: string; widgets: Widget[]; onSaved: (l: Layout) => void }) {
  const [list, setList] = createSignal<Widget[]>([...props.widgets]);
  const [adding, setAdding] = createSignal(CHOICES[0]![0]);
  const { busy, run: start } = createSubmit();
  const move = (i: number, d: number) => setList((l) => { const c = [...l]; const [x] = c.splice(i, 1); c.splice(Math.max(0, Math.min(c.length, i + d)), 0, x!); return c; });
  const run = (f: () => Promise<Layout>) => start(async () => { const l = await f(); setList(l.widgets); props.onSaved(l); toast.success("Dashboard saved"); });
  return (
    <section class="card customize" aria-labelledby="customize-title">
      <h2 id="customize-title" class="card-title">Customize this workspace's dashboard</h2>
      <ol class="customize-list">
        <For each={list()}>
          {(w, i) => (
            <li>
              <span class="customize-name">{labelOf(w.key)}</span>
              <label><span class="sr-only">Size of {labelOf(w.key)}</span>
                <select value={w.size} onChange={(e) => setList((l) => l.map((x, j) => (j === i() ? { ...x, size: e.currentTarget.value as Widget["size"] } : x)))}>
                  <option value="s">Small</option><option value="m">Medium</option><option value="l">Large</option>
                </select>
              </label>
              <Button size="sm" variant="ghost" onClick={() => move(i(), -1)} aria-label={`Move ${labelOf(w.key)} up`}>↑</Button>
              <Button size="sm" variant="ghost" onClick={() => move(i(), 1)} aria-label={`Move ${labelOf(w.key)} down`}>↓</Button>
              <Button size="sm" variant="ghost" onClick={() => setList((l) => l.filter((_, j) => j !== i()))} aria-label={`Remove ${labelOf(w.key)}`}>Remove</Button>
            </li>
          )}
        </For>
      </ol>
      <div class="customize-add">
        <label><span>Add widget</span>
          <select value={adding()} onChange={(e) => setAdding(e.currentTarget.value)}>
            <For each={CHOICES}>{([k, l]) => <option value={k}>{l}</option>}</For>
          </select>
        </label>
        <Button size="sm" onClick={() => setList((l) => [...l, { key: adding(), size: adding().includes(":") ? "m" : "s" }])}>Add</Button>
      </div>
      <div class="customize-actions">
        <Button variant="primary" loading={busy()} onClick={() => run(() => saveLayout(props.ws, list()))}>Save dashboard</Button>
        <Button variant="secondary" disabled={busy()} onClick={() => run(() => resetLayout(props.ws))}>Reset to default</Button>
      </div>
    </section>
  );
}

import { For, Show } from "solid-js";
import { Button } from "../../ui/Button";
import { Badge } from "../../ui/Feedback";
import { Card } from "../../ui/Layout";
import type { Integration, Provider } from "../../lib/api/integrations";

const categoryLabel: Record<string, string> = { commerce: "Shop", analytics: "Analytics", "email-marketing": "Email marketing", social: "Social", ads: "Ads" };
const blurb: Record<string, string> = {
  shopify: "Orders, refunds and products from your Shopify store.",
  woocommerce: "Orders and products from a WooCommerce store.",
  ga4: "Daily sessions, users, conversions and revenue by channel and landing page.",
  klaviyo: "Email campaigns, flows and list sizes with opens, clicks and revenue.",
  mailchimp: "Audiences and campaign results from Mailchimp.",
  meta: "Facebook Pages and Instagram insights, posts, and Meta ad campaigns with daily spend and purchases.",
  "google-ads": "Google Ads campaigns, budgets (shared ones flagged) and daily cost, clicks and conversions.",
};

/** The providers a workspace can connect, with how many of each it has. */
export function ProviderGrid(props: { providers: Provider[]; integrations: Integration[]; canAdmin: boolean; onConnect: (p: Provider) => void }) {
  return (
    <div class="section-gap">
      <Card id="available" title="Available" description="Each connection reads data only; QWEB never posts or changes anything in these accounts.">
        <div class="provider-grid">
          <For each={props.providers}>
            {(p) => {
              const count = () => props.integrations.filter((i) => i.provider === p.id).length;
              return (
                <div class="provider-card" data-provider={p.id}>
                  <h3>{p.name}</h3>
                  <Badge tone="neutral">{categoryLabel[p.category] ?? p.category}</Badge>
                  <p>{blurb[p.id] ?? ""}</p>
                  <div class="provider-foot">
                    <span class="muted">{count() ? `${count()} connected` : ""}</span>
                    <Show when={props.canAdmin}>
                      <Button size="sm" variant={count() ? "secondary" : "primary"} icon="plug" onClick={() => props.onConnect(p)} aria-label={`${count() ? "Connect another" : "Connect"} ${p.name}`}>
                        {count() ? "Connect another" : "Connect"}
                      </Button>
                    </Show>
                  </div>
                </div>
              );
            }}
          </For>
        </div>
      </Card>
    </div>
  );
}

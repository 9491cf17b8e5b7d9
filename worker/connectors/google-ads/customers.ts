// Which Google Ads account to sync: the accessible customers, and behind a manager (MCC) its
// client accounts, read with the manager's id as login-customer-id.
import { ProviderError } from "../http";
import type { Account, ConnectorRuntime, Secrets } from "../types";
import { listAccessibleCustomers, searchStream } from "./api";

type CustomerRow = { customer?: { id?: string; descriptiveName?: string; currencyCode?: string; timeZone?: string; manager?: boolean } };
type ClientRow = { customerClient?: { id?: string; descriptiveName?: string; currencyCode?: string; timeZone?: string; manager?: boolean; level?: string } };

type Candidate = { id: string; name: string; currency: string; timeZone: string; loginCustomerId?: string };

export const digitsOnly = (s: string | undefined) => (s ?? "").replace(/\D/g, "");

export async function chooseCustomer(rt: ConnectorRuntime, secrets: Secrets, wanted?: string): Promise<{ account: Account; label: string }> {
  const { resourceNames = [] } = await listAccessibleCustomers(rt, secrets);
  const candidates: Candidate[] = [];
  for (const rn of resourceNames) {
    const id = rn.replace(/^customers\//, "");
    const [row] = await searchStream<CustomerRow>(rt, secrets, id, "SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone, customer.manager FROM customer", undefined, "customer");
    const c = row?.customer;
    if (!c) continue;
    if (!c.manager) {
      candidates.push({ id, name: c.descriptiveName ?? id, currency: c.currencyCode ?? "USD", timeZone: c.timeZone ?? "Etc/UTC" });
      continue;
    }
    const clients = await searchStream<ClientRow>(
      rt,
      secrets,
      id,
      "SELECT customer_client.id, customer_client.descriptive_name, customer_client.currency_code, customer_client.time_zone, customer_client.manager, customer_client.level FROM customer_client WHERE customer_client.level <= 1",
      id,
      "customer_client",
    );
    for (const cl of clients.map((r) => r.customerClient)) {
      if (!cl?.id || cl.manager) continue;
      candidates.push({ id: cl.id, name: cl.descriptiveName ?? cl.id, currency: cl.currencyCode ?? "USD", timeZone: cl.timeZone ?? "Etc/UTC", loginCustomerId: id });
    }
  }
  const want = digitsOnly(wanted);
  const chosen = want ? candidates.find((c) => c.id === want) : candidates[0];
  if (!chosen) {
    throw new ProviderError("permanent", want ? `google-ads: customer ${wanted} is not accessible to this Google account` : "google-ads: this Google account has no Google Ads account", { provider: "google-ads" });
  }
  const account: Account = { customerId: chosen.id, customerName: chosen.name, currency: chosen.currency, timeZone: chosen.timeZone };
  if (chosen.loginCustomerId) account.loginCustomerId = chosen.loginCustomerId;
  return { account, label: `${chosen.name} (${chosen.id.replace(/^(\d{3})(\d{3})(\d{4})$/, "$1-$2-$3")})` };
}

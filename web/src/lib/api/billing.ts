import { client, type ResponseOf } from "./client";

export type BillingOverview = ResponseOf<"/api/orgs/{orgId}/billing", "get">;
export type Limits = BillingOverview["limits"];
export type PaidPlan = BillingOverview["plans"][number]["id"];

export const billingOverview = (orgId: string) => client.get("/api/orgs/{orgId}/billing", { params: { orgId } });
export const startCheckout = (orgId: string, plan: PaidPlan) => client.post("/api/orgs/{orgId}/billing/checkout", { params: { orgId }, body: { plan } });
export const openBillingPortal = (orgId: string) => client.post("/api/orgs/{orgId}/billing/portal", { params: { orgId } });

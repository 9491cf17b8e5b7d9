// Whether the signed-in user is a platform operator: asked once per signed-in user (404 = no).
import { createResource, createRoot } from "solid-js";
import { api } from "../../lib/api";
import { session } from "../../lib/session";

export const operatorStatus = createRoot(() => {
  const [isOperator] = createResource(
    () => (session.status() === "authenticated" ? session.user()?.id : undefined),
    () => api<{ operator: boolean }>("/api/operator/me").then((r) => r.operator, () => false),
  );
  return { isOperator: () => isOperator() === true };
});

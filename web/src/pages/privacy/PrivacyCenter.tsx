import { createResource, Match, Switch } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { Alert, Loading } from "../../ui/Feedback";
import { PageHeader } from "../../ui/Layout";
import { ConsentCard, InventoryCard, OrganizationsCard, PolicyCard, ProcessingCard } from "./Controls";
import { DeleteAccountCard } from "./DeleteAccount";
import { ExportCard } from "./ExportCard";
import { RequestsCard } from "./RequestsCard";
import type { Overview } from "../../lib/api/privacy";
import "../../components/privacy.css";

/** The privacy center: every right of the privacy policy (section 6), self-serve. */
export default function PrivacyCenter() {
  const [overview, { refetch }] = createResource(() => api<Overview>("/api/privacy/overview"));
  const reload = () => void refetch();
  return (
    <>
      <PageHeader
        title="Privacy center"
        eyebrow="Your data"
        description="Download what QWEB holds about you, correct it, limit how it is used, withdraw consent or delete your account. Questions: privacy@qwebmaster.com."
      />
      <Switch>
        <Match when={overview.error}>
          <Alert tone="danger">{errorMessage(overview.error)}</Alert>
        </Match>
        <Match when={!overview.latest}>
          <Loading label="Loading your privacy settings…" />
        </Match>
        <Match when={overview.latest}>
          {(o) => (
            <div class="privacy-grid">
              <ExportCard overview={o()} onChange={reload} />
              <RequestsCard requests={o().requests} onChange={reload} />
              <div class="grid-2">
                <ProcessingCard overview={o()} onChange={reload} />
                <ConsentCard overview={o()} onChange={reload} />
              </div>
              <OrganizationsCard overview={o()} onChange={reload} />
              <PolicyCard overview={o()} />
              <InventoryCard overview={o()} />
              <DeleteAccountCard />
            </div>
          )}
        </Match>
      </Switch>
    </>
  );
}

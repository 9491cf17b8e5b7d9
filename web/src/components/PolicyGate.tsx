import { useNavigate } from "@solidjs/router";
import { createResource, createSignal, Show } from "solid-js";
import { api, errorMessage } from "../lib/api";
import { formatDate } from "../lib/format";
import { session } from "../lib/session";
import { Button } from "../ui/Button";
import { Alert } from "../ui/Feedback";
import { Modal } from "../ui/Modal";

type PolicyStatus = {
  current: { version: string; effectiveDate: string; title: string; summary: string | null; material: boolean };
  acceptanceRequired: boolean;
};

/** P25: after a material policy change, the next signed-in visit asks for acceptance before anything else. */
export function PolicyGate() {
  const navigate = useNavigate();
  const [status, { refetch }] = createResource(
    () => (session.status() === "authenticated" ? session.user()?.id : undefined),
    () => api<PolicyStatus>("/api/privacy/policy"),
  );
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  async function accept() {
    const s = status();
    if (!s) return;
    setBusy(true);
    try {
      await api("/api/privacy/policy/accept", { body: { version: s.current.version } });
      await refetch();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={session.status() === "authenticated" && !!status()?.acceptanceRequired}
      title="We updated our privacy policy"
      size="sm"
      onClose={() => {}}
      footer={
        <>
          <Button
            onClick={async () => {
              await session.signOut();
              navigate("/login", { replace: true });
            }}
          >
            Sign out
          </Button>
          <Button variant="primary" loading={busy()} onClick={accept}>
            I accept
          </Button>
        </>
      }
    >
      <Show when={status()}>
        {(s) => (
          <div class="stack">
            <p>
              Version <strong>{s().current.version}</strong> of QWEB's privacy policy takes effect on {formatDate(s().current.effectiveDate)}. Please read it and accept it to
              continue.
            </p>
            <Show when={s().current.summary}>
              <p>
                <strong>What changes:</strong> {s().current.summary}
              </p>
            </Show>
            <p>
              <a href="/privacy" target="_blank" rel="noopener">
                Read the full policy
              </a>{" "}
              · you can also download or delete your data from the privacy center at any time.
            </p>
            <Show when={error()}>
              <Alert tone="danger">{error()!}</Alert>
            </Show>
          </div>
        )}
      </Show>
    </Modal>
  );
}

import { useNavigate } from "@solidjs/router";
import { createSignal } from "solid-js";
import { api, errorMessage, isApiError } from "../../lib/api";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert } from "../../ui/Feedback";
import { TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { Modal } from "../../ui/Modal";
import { createSubmit } from "../../ui/submit";

/** P13/P19 erasure: re-authenticate, be signed out everywhere, erased within 30 days unless restored. */
export function DeleteAccountCard() {
  const navigate = useNavigate();
  const [open, setOpen] = createSignal(false);
  const [password, setPassword] = createSignal("");
  const { busy, error, run } = createSubmit({ show: "inline", message: (e) => (isApiError(e) && e.status === 422 ? "The password is incorrect" : errorMessage(e)) });

  const go = () =>
    run(async () => {
      const res = await api<{ purgeAfter: number }>("/api/me", { method: "DELETE", body: { password: password() } });
      setOpen(false);
      session.clear();
      navigate(`/restore-account?deleted=${res.purgeAfter}`, { replace: true });
    });

  return (
    <Card id="delete" title="Delete my account" description="Erase everything QWEB holds about you.">
      <div class="stack">
        <p>
          You are signed out on every device at once and nobody can use the account any more. After a 30-day grace period the daily retention run erases every row, file and
          stored object about you. Until then you can change your mind and restore the account with your password.
        </p>
        <p class="muted small">Organizations you are the only member of are deleted with the account. If others depend on an organization you own, make one of them an owner first.</p>
        <div>
          <Button variant="danger" icon="trash" onClick={() => setOpen(true)} data-testid="delete-account">
            Delete my account
          </Button>
        </div>
      </div>
      <Modal
        open={open()}
        title="Delete your account?"
        size="sm"
        onClose={() => setOpen(false)}
        footer={
          <>
            <Button onClick={() => setOpen(false)}>Keep my account</Button>
            <Button variant="danger" loading={busy()} onClick={go} data-testid="delete-account-confirm">
              Delete my account
            </Button>
          </>
        }
      >
        <div class="stack">
          <Alert tone="warning">You will be signed out everywhere. In 30 days your data is erased for good.</Alert>
          <TextField label="Your password" name="password" type="password" autocomplete="current-password" value={password()} onValue={setPassword} error={error()} />
        </div>
      </Modal>
    </Card>
  );
}

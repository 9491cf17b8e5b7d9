import { A, useSearchParams } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { api } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { AuthLayout } from "../../layout/AuthLayout";
import { Button } from "../../ui/Button";
import { Alert } from "../../ui/Feedback";
import { createForm, FormError, TextField } from "../../ui/Form";

/** After deleting an account, and from the deletion email: cancel the deletion during the grace period. */
export default function RestoreAccount() {
  const [params] = useSearchParams();
  const [restored, setRestored] = createSignal(false);
  const deletedUntil = () => Number(params.deleted) || null;
  const form = createForm({
    initial: { email: "", password: "" },
    validate: (v) => ({ email: v.email.includes("@") ? undefined : "Enter your email", password: v.password ? undefined : "Enter your password" }),
    mapError: (e) => (e.status === 401 ? { form: "Incorrect email or password" } : undefined),
  });
  const onSubmit = form.submit(async (v) => {
    await api("/api/privacy/restore", { body: { email: v.email.trim(), password: v.password }, auth: false });
    setRestored(true);
  });
  return (
    <AuthLayout title={restored() ? "Account restored" : deletedUntil() ? "Your account will be deleted" : "Restore your account"}>
      <Show
        when={!restored()}
        fallback={
          <div class="stack">
            <Alert tone="success">Your account and its data are kept. Sign in to continue.</Alert>
            <A href="/login" class="btn btn-primary btn-md btn-block">
              Sign in
            </A>
          </div>
        }
      >
        <div class="stack">
          <Show when={deletedUntil()}>
            <Alert tone="info" title="You have been signed out everywhere">
              Everything QWEB holds about you will be erased on {formatDateTime(deletedUntil())}. Changed your mind? Restore the account below before then.
            </Alert>
          </Show>
          <form class="form" onSubmit={onSubmit} noValidate>
            <FormError error={form.errors.form} />
            <TextField label="Email" name="email" type="email" autocomplete="email" value={form.values.email} onValue={(v) => form.set("email", v)} error={form.errors.email} />
            <TextField label="Password" name="password" type="password" autocomplete="current-password" value={form.values.password} onValue={(v) => form.set("password", v)} error={form.errors.password} />
            <Button type="submit" variant="primary" block loading={form.submitting()}>
              Restore my account
            </Button>
          </form>
        </div>
      </Show>
    </AuthLayout>
  );
}

import { A, useSearchParams } from "@solidjs/router";
import { createSignal, Match, Show, Switch } from "solid-js";
import { api } from "../lib/api";
import { emailError, MIN_PASSWORD, passwordError } from "../lib/validation";
import { AuthLayout } from "../layout/AuthLayout";
import { Button, LinkButton } from "../ui/Button";
import { Alert } from "../ui/Feedback";
import { createForm, FormError, TextField } from "../ui/Form";

const isLocalHost = () => ["localhost", "127.0.0.1", "[::1]"].includes(location.hostname);

function RequestReset() {
  const [sentTo, setSentTo] = createSignal<string | null>(null);
  const form = createForm({ initial: { email: "" }, validate: (v) => ({ email: emailError(v.email) }) });
  const onSubmit = form.submit(async (v) => {
    await api("/api/auth/password-reset/request", { auth: false, body: { email: v.email.trim() } });
    setSentTo(v.email.trim());
  });
  return (
    <AuthLayout
      title="Reset your password"
      subtitle="Enter the email you sign in with and we will send you a link to choose a new password."
      footer={
        <>
          Remembered it? <A href="/login">Back to sign in</A>
        </>
      }
    >
      <Show
        when={!sentTo()}
        fallback={
          <div class="stack">
            <Alert tone="success" title="Check your inbox">
              If an account exists for <strong>{sentTo()}</strong>, a reset link is on its way. It expires soon, so use it shortly.
            </Alert>
            <Show when={isLocalHost()}>
              <p class="muted small">
                Running locally? Emails land in the <A href="/dev/mailbox">dev mailbox</A>.
              </p>
            </Show>
          </div>
        }
      >
        <form class="form" onSubmit={onSubmit} noValidate>
          <FormError error={form.errors.form} />
          <TextField label="Email" name="email" type="email" autocomplete="email" value={form.values.email} onValue={(v) => form.set("email", v)} error={form.errors.email} autofocus />
          <Button type="submit" variant="primary" size="lg" block loading={form.submitting()}>
            Send reset link
          </Button>
        </form>
      </Show>
    </AuthLayout>
  );
}

function ConfirmReset(props: { token: string }) {
  const [done, setDone] = createSignal(false);
  const form = createForm({
    initial: { password: "", confirm: "" },
    validate: (v) => ({ password: passwordError(v.password), confirm: v.confirm === v.password ? undefined : "The passwords do not match" }),
    mapError: (e) => {
      const f = e.fieldErrors();
      if (f.password) return undefined;
      if (f.token || [400, 401, 404, 410, 422].includes(e.status)) return { form: "This reset link is invalid or has expired. Request a new one." };
      return undefined;
    },
  });
  const onSubmit = form.submit(async (v) => {
    await api("/api/auth/password-reset/confirm", { auth: false, body: { token: props.token, password: v.password } });
    setDone(true);
  });
  return (
    <AuthLayout title="Choose a new password" subtitle="You will be signed out everywhere, then you can sign in with the new password.">
      <Switch>
        <Match when={done()}>
          <div class="stack">
            <Alert tone="success" title="Password changed">
              Your password has been changed and every session was signed out.
            </Alert>
            <LinkButton href="/login" variant="primary" block>
              Sign in
            </LinkButton>
          </div>
        </Match>
        <Match when={!done()}>
          <form class="form" onSubmit={onSubmit} noValidate>
            <FormError error={form.errors.form} />
            <TextField
              label="New password"
              name="password"
              type="password"
              autocomplete="new-password"
              value={form.values.password}
              onValue={(v) => form.set("password", v)}
              error={form.errors.password}
              hint={`At least ${MIN_PASSWORD} characters.`}
              autofocus
            />
            <TextField label="Confirm new password" name="confirm" type="password" autocomplete="new-password" value={form.values.confirm} onValue={(v) => form.set("confirm", v)} error={form.errors.confirm} />
            <Button type="submit" variant="primary" size="lg" block loading={form.submitting()}>
              Change password
            </Button>
            <Show when={form.errors.form}>
              <A href="/reset-password" class="small">
                Request a new link
              </A>
            </Show>
          </form>
        </Match>
      </Switch>
    </AuthLayout>
  );
}

export default function ResetPassword() {
  const [params] = useSearchParams();
  const token = () => (Array.isArray(params.token) ? params.token[0] : params.token);
  return (
    <Show when={token()} fallback={<RequestReset />} keyed>
      {(t) => <ConfirmReset token={t} />}
    </Show>
  );
}

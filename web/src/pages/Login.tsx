import { A } from "@solidjs/router";
import { api } from "../lib/api";
import { session } from "../lib/session";
import { emailError } from "../lib/validation";
import { AuthLayout } from "../layout/AuthLayout";
import { Button } from "../ui/Button";
import { createForm, FormError, TextField } from "../ui/Form";

export default function Login() {
  const form = createForm({
    initial: { email: "", password: "" },
    validate: (v) => ({ email: emailError(v.email), password: v.password ? undefined : "Password is required" }),
    // 401 is deliberately generic: it never says whether the email exists.
    mapError: (e) => (e.status === 401 ? { form: "Incorrect email or password." } : undefined),
  });
  const onSubmit = form.submit(async (v) => {
    const res = await api<{ accessToken: string }>("/api/auth/login", { body: { email: v.email.trim(), password: v.password }, auth: false });
    // PublicOnly sends the now signed-in visitor on to ?next= (or the dashboard).
    await session.start(res.accessToken);
  });
  return (
    <AuthLayout
      title="Sign in to QWEB"
      subtitle="Welcome back. Sign in to manage your clients and campaigns."
      footer={
        <>
          New to QWEB? <A href="/signup">Create an account</A>
        </>
      }
    >
      <form class="form" onSubmit={onSubmit} noValidate>
        <FormError error={form.errors.form} />
        <TextField label="Email" name="email" type="email" autocomplete="email" value={form.values.email} onValue={(v) => form.set("email", v)} error={form.errors.email} autofocus />
        <TextField
          label="Password"
          name="password"
          type="password"
          autocomplete="current-password"
          value={form.values.password}
          onValue={(v) => form.set("password", v)}
          error={form.errors.password}
          labelAction={<A href="/reset-password" class="field-link">Forgot password?</A>}
        />
        <Button type="submit" variant="primary" size="lg" block loading={form.submitting()}>
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}

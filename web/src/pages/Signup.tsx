import { A } from "@solidjs/router";
import { createResource, Show } from "solid-js";
import { api } from "../lib/api";
import { session } from "../lib/session";
import type { Policy } from "../lib/api/policy";
import { birthDateError, emailError, MIN_PASSWORD, passwordError, required } from "../lib/validation";
import { AuthLayout } from "../layout/AuthLayout";
import { BirthDateField, PolicyAcceptance } from "../components/SignupFields";
import { Button } from "../ui/Button";
import { createForm, FormError, RadioCards, TextField } from "../ui/Form";

type Created = { organization: { id: string }; accessToken: string };

export default function Signup() {
  const [policy, { refetch }] = createResource(() => api<Policy>("/api/policy", { auth: false }));
  // A quick submit may come before the policy version has loaded: wait for it then.
  const policyVersion = async () => policy()?.version ?? (await refetch())?.version;
  const form = createForm({
    initial: { name: "", email: "", password: "", organizationName: "", organizationKind: "agency", birthDate: "", accept: false as boolean },
    validate: (v) => ({
      name: required(v.name, "Your name"),
      email: emailError(v.email),
      password: passwordError(v.password),
      organizationName: required(v.organizationName, "Organization name"),
      birthDate: birthDateError(v.birthDate),
      accept: v.accept ? undefined : "Please accept the privacy policy to continue",
    }),
    mapError: (e) => {
      const f = e.fieldErrors();
      if (f.acceptPolicyVersion) return { accept: f.acceptPolicyVersion };
      if (e.status === 409) return { email: "An account with this email already exists. Sign in instead?" };
      if (e.status === 422 && !Object.keys(f).length) {
        if (/polic/i.test(e.message)) {
          void refetch();
          return { accept: `${e.message} Please review the current policy and accept again.` };
        }
        return { birthDate: e.message };
      }
      return undefined;
    },
  });

  const onSubmit = form.submit(async (v) => {
    const version = await policyVersion();
    if (!version) throw new Error("The privacy policy could not be loaded. Reload the page and try again.");
    const res = await api<Created>("/api/auth/signup", {
      auth: false,
      body: {
        name: v.name.trim(),
        email: v.email.trim(),
        password: v.password,
        organizationName: v.organizationName.trim(),
        organizationKind: v.organizationKind,
        birthDate: v.birthDate,
        acceptPolicyVersion: version,
      },
    });
    // PublicOnly sends the now signed-in visitor on to the dashboard.
    await session.start(res.accessToken, { orgId: res.organization.id });
  });

  return (
    <AuthLayout
      title="Create your QWEB account"
      subtitle="Start with your organization. You can invite your team and clients next."
      wide
      footer={
        <>
          Already have an account? <A href="/login">Sign in</A>
        </>
      }
    >
      <form class="form" onSubmit={onSubmit} noValidate>
        <FormError error={form.errors.form} />
        <div class="form-row">
          <TextField label="Your name" name="name" autocomplete="name" value={form.values.name} onValue={(v) => form.set("name", v)} error={form.errors.name} autofocus />
          <TextField label="Work email" name="email" type="email" autocomplete="email" value={form.values.email} onValue={(v) => form.set("email", v)} error={form.errors.email} />
        </div>
        <TextField
          label="Password"
          name="password"
          type="password"
          autocomplete="new-password"
          value={form.values.password}
          onValue={(v) => form.set("password", v)}
          error={form.errors.password}
          hint={`At least ${MIN_PASSWORD} characters. A short sentence works well.`}
        />
        <div class="form-divider" />
        <TextField
          label="Organization name"
          name="organizationName"
          autocomplete="organization"
          value={form.values.organizationName}
          onValue={(v) => form.set("organizationName", v)}
          error={form.errors.organizationName}
        />
        <RadioCards
          legend="Organization type"
          name="organizationKind"
          value={form.values.organizationKind}
          onValue={(v) => form.set("organizationKind", v)}
          error={form.errors.organizationKind}
          options={[
            { value: "agency", label: "Agency", description: "You run marketing for clients" },
            { value: "business", label: "Business", description: "You market your own brands" },
          ]}
        />
        <BirthDateField value={form.values.birthDate} onValue={(v) => form.set("birthDate", v)} error={form.errors.birthDate} />
        <PolicyAcceptance policy={policy()} checked={form.values.accept} onChange={(v) => form.set("accept", v)} error={form.errors.accept} />
        <Show when={policy.error}>
          <p class="field-error" role="alert">
            The privacy policy could not be loaded. <button type="button" class="link-button" onClick={() => refetch()}>Try again</button>
          </p>
        </Show>
        <Button type="submit" variant="primary" size="lg" block loading={form.submitting()}>
          Create account
        </Button>
      </form>
    </AuthLayout>
  );
}

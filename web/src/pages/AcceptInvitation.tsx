import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createResource, Match, Show, Switch } from "solid-js";
import { api, errorMessage } from "../lib/api";
import { formatDateTime, roleLabel } from "../lib/format";
import { session } from "../lib/session";
import type { InvitationPreview } from "../lib/api/orgs";
import type { Policy } from "../lib/api/policy";
import { birthDateError, MIN_PASSWORD, passwordError, required } from "../lib/validation";
import { AuthLayout } from "../layout/AuthLayout";
import { BirthDateField, PolicyAcceptance } from "../components/SignupFields";
import { Button, LinkButton } from "../ui/Button";
import { Alert, Loading, RoleBadge } from "../ui/Feedback";
import { createForm, FormError, TextField } from "../ui/Form";

type Accepted = { accessToken: string; workspaceId: string | null; orgId: string };

const roleHelp: Record<string, string> = {
  viewer: "You will be able to see this workspace’s dashboards, content and reports.",
  editor: "You will be able to see and edit this workspace’s content.",
  admin: "You will be able to manage this workspace and invite others to it.",
  member: "You will work on every workspace of the organization.",
};

function AcceptForm(props: { token: string; preview: InvitationPreview }) {
  const navigate = useNavigate();
  const isNew = () => !props.preview.accountExists;
  const [policy, { refetch }] = createResource(() => api<Policy>("/api/policy", { auth: false }));
  // A quick submit may come before the policy version has loaded: wait for it then.
  const policyVersion = async () => policy()?.version ?? (await refetch())?.version;
  const form = createForm({
    initial: { name: "", birthDate: "", password: "", accept: false as boolean },
    validate: (v) =>
      isNew()
        ? {
            name: required(v.name, "Your name"),
            birthDate: birthDateError(v.birthDate),
            password: passwordError(v.password),
            accept: v.accept ? undefined : "Please accept the privacy policy to continue",
          }
        : { password: v.password ? undefined : "Enter your password" },
    mapError: (e) => {
      const f = e.fieldErrors();
      if (f.acceptPolicyVersion) return { accept: f.acceptPolicyVersion };
      if (e.status === 401) return { password: "Incorrect password for this account." };
      if (e.status === 422 && !Object.keys(e.fieldErrors()).length) return { birthDate: e.message };
      if (e.status === 404 || e.status === 410) return { form: "This invitation is no longer valid. Ask for a new one." };
      return undefined;
    },
  });
  const onSubmit = form.submit(async (v) => {
    const version = isNew() ? await policyVersion() : undefined;
    if (isNew() && !version) throw new Error("The privacy policy could not be loaded. Reload the page and try again.");
    const body = isNew()
      ? { token: props.token, password: v.password, name: v.name.trim(), birthDate: v.birthDate, acceptPolicyVersion: version }
      : { token: props.token, password: v.password };
    const res = await api<Accepted>("/api/invitations/accept", { auth: false, body });
    await session.start(res.accessToken, { orgId: res.orgId, workspaceId: res.workspaceId });
    navigate(res.workspaceId ? "/workspaces" : "/dashboard", { replace: true });
  });
  return (
    <form class="form" onSubmit={onSubmit} noValidate>
      <FormError error={form.errors.form} />
      <TextField label="Email" name="email" type="email" value={props.preview.email} readOnly disabled hint={isNew() ? "Your new account will use this email." : undefined} />
      <Show when={isNew()}>
        <TextField label="Your name" name="name" autocomplete="name" value={form.values.name} onValue={(v) => form.set("name", v)} error={form.errors.name} autofocus />
        <BirthDateField value={form.values.birthDate} onValue={(v) => form.set("birthDate", v)} error={form.errors.birthDate} />
      </Show>
      <TextField
        label={isNew() ? "Choose a password" : "Your password"}
        name="password"
        type="password"
        autocomplete={isNew() ? "new-password" : "current-password"}
        value={form.values.password}
        onValue={(v) => form.set("password", v)}
        error={form.errors.password}
        hint={isNew() ? `At least ${MIN_PASSWORD} characters.` : "You already have a QWEB account: confirm it is you."}
        autofocus={!isNew()}
      />
      <Show when={isNew()}>
        <PolicyAcceptance policy={policy()} checked={form.values.accept} onChange={(v) => form.set("accept", v)} error={form.errors.accept} />
      </Show>
      <Button type="submit" variant="primary" size="lg" block loading={form.submitting()}>
        {isNew() ? "Create account and join" : "Accept invitation"}
      </Button>
    </form>
  );
}

export default function AcceptInvitation() {
  const [params] = useSearchParams();
  const token = () => (Array.isArray(params.token) ? params.token[0] : params.token) ?? "";
  const [preview] = createResource(() => token() || undefined, (t) => api<InvitationPreview>("/api/invitations/preview", { auth: false, body: { token: t } }));
  const target = () => preview()?.workspaceName ?? preview()?.orgName ?? "";
  return (
    <Switch>
      <Match when={!token()}>
        <AuthLayout title="Invitation link incomplete" subtitle="Open the link from your invitation email again, or ask for a new invitation.">
          <LinkButton href="/login" block>
            Go to sign in
          </LinkButton>
        </AuthLayout>
      </Match>
      <Match when={preview.loading}>
        <AuthLayout title="Checking your invitation">
          <Loading label="Checking your invitation…" />
        </AuthLayout>
      </Match>
      <Match when={preview.error}>
        <AuthLayout title="This invitation can’t be used" subtitle="It may have expired, been revoked, or already been accepted.">
          <div class="stack">
            <Alert tone="danger">{errorMessage(preview.error)}</Alert>
            <p class="muted small">Ask the person who invited you to send a new invitation.</p>
            <LinkButton href="/login" block>
              Go to sign in
            </LinkButton>
          </div>
        </AuthLayout>
      </Match>
      <Match when={preview()}>
        {(p) => (
          <AuthLayout
            title={`Join ${target()}`}
            subtitle={
              <>
                <strong>{p().orgName}</strong> invited you{p().workspaceName ? <> to the <strong>{p().workspaceName}</strong> workspace</> : null} as{" "}
                <RoleBadge role={p().role} />
              </>
            }
            footer={
              <>
                Not you? <A href="/login">Sign in with another account</A>
              </>
            }
          >
            <div class="invite-summary">
              <p>{roleHelp[p().role] ?? `Role: ${roleLabel[p().role] ?? p().role}`}</p>
              <p class="muted small">Invitation expires {formatDateTime(p().expiresAt)}.</p>
            </div>
            <AcceptForm token={token()} preview={p()} />
          </AuthLayout>
        )}
      </Match>
    </Switch>
  );
}

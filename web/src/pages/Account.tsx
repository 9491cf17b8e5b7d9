import { useNavigate } from "@solidjs/router";
import { createResource, Match, Switch } from "solid-js";
import { api, errorMessage, setAccessToken } from "../lib/api";
import { formatDate, formatDateTime, timeAgo } from "../lib/format";
import { session } from "../lib/session";
import type { Session, User } from "../lib/api/auth";
import { MIN_PASSWORD, passwordError, required } from "../lib/validation";
import { Button } from "../ui/Button";
import { Alert, Badge, SkeletonRows } from "../ui/Feedback";
import { createForm, FormError, TextField } from "../ui/Form";
import { Card, PageHeader } from "../ui/Layout";
import { confirmDialog } from "../ui/Modal";
import { Table } from "../ui/Table";
import { toast } from "../ui/Toast";
import { Icon } from "../ui/Icon";

function Profile() {
  const form = createForm({ initial: { name: session.user()?.name ?? "" }, validate: (v) => ({ name: required(v.name, "Name") }) });
  const onSubmit = form.submit(async (v) => {
    const res = await api<{ user: User }>("/api/me", { method: "PATCH", body: { name: v.name.trim() } });
    const me = session.me();
    if (me) session.setMe({ ...me, user: { ...me.user, ...res.user } });
    toast.success("Profile saved");
  });
  return (
    <Card id="profile" title="Profile" description="How you appear to your team and clients.">
      <form class="form form-narrow" onSubmit={onSubmit} noValidate>
        <FormError error={form.errors.form} />
        <TextField label="Name" name="name" autocomplete="name" value={form.values.name} onValue={(v) => form.set("name", v)} error={form.errors.name} />
        <TextField label="Email" name="email" type="email" value={session.user()?.email ?? ""} readOnly disabled hint="Your sign-in email." />
        <TextField label="Birth date" name="birthDate" value={session.user()?.birthDate ? formatDate(session.user()!.birthDate) : "—"} readOnly disabled />
        <div class="form-actions form-actions-start">
          <Button type="submit" variant="primary" loading={form.submitting()} disabled={form.values.name.trim() === session.user()?.name}>
            Save profile
          </Button>
        </div>
      </form>
    </Card>
  );
}

function ChangePassword(props: { onChanged: () => void }) {
  const form = createForm({
    initial: { currentPassword: "", newPassword: "", confirm: "" },
    validate: (v) => ({
      currentPassword: v.currentPassword ? undefined : "Enter your current password",
      newPassword: passwordError(v.newPassword) ?? (v.newPassword === v.currentPassword ? "Choose a password different from the current one" : undefined),
      confirm: v.confirm === v.newPassword ? undefined : "The passwords do not match",
    }),
    mapError: (e) => (e.status === 401 || e.status === 403 ? { currentPassword: "Your current password is incorrect" } : undefined),
  });
  const onSubmit = form.submit(async (v) => {
    const res = await api<{ accessToken: string }>("/api/auth/password", { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } });
    if (res?.accessToken) setAccessToken(res.accessToken);
    form.reset();
    toast.success("Password changed. Your other sessions were signed out.");
    props.onChanged();
  });
  return (
    <Card id="password" title="Password" description="Changing it signs you out on every other device.">
      <form class="form form-narrow" onSubmit={onSubmit} noValidate>
        <FormError error={form.errors.form} />
        <TextField label="Current password" name="currentPassword" type="password" autocomplete="current-password" value={form.values.currentPassword} onValue={(v) => form.set("currentPassword", v)} error={form.errors.currentPassword} />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autocomplete="new-password"
          value={form.values.newPassword}
          onValue={(v) => form.set("newPassword", v)}
          error={form.errors.newPassword}
          hint={`At least ${MIN_PASSWORD} characters.`}
        />
        <TextField label="Confirm new password" name="confirm" type="password" autocomplete="new-password" value={form.values.confirm} onValue={(v) => form.set("confirm", v)} error={form.errors.confirm} />
        <div class="form-actions form-actions-start">
          <Button type="submit" variant="primary" loading={form.submitting()}>
            Change password
          </Button>
        </div>
      </form>
    </Card>
  );
}

export default function Account() {
  const navigate = useNavigate();
  const [sessions, { refetch }] = createResource(() => api<{ sessions: Session[] }>("/api/auth/sessions"));

  async function signOutEverywhere() {
    const ok = await confirmDialog({
      title: "Sign out everywhere?",
      message: <p>Every session, including this one, will be signed out. You will need your password to sign in again.</p>,
      confirmLabel: "Sign out everywhere",
      danger: true,
    });
    if (!ok) return;
    try {
      await session.signOut(true);
      toast.success("Signed out on every device");
      navigate("/login", { replace: true });
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  return (
    <>
      <PageHeader title="Account" description="Your profile, password and where you are signed in." />
      <div class="grid-2">
        <Profile />
        <ChangePassword onChanged={() => refetch()} />
      </div>
      <Card
        id="sessions"
        title="Active sessions"
        description="Devices signed in to your account. Sign out everywhere if you see one you do not recognise."
        flush
        actions={
          <Button variant="danger" icon="logout" onClick={signOutEverywhere}>
            Sign out everywhere
          </Button>
        }
      >
        <Switch>
          <Match when={sessions.error}>
            <div class="card-pad">
              <Alert tone="danger">{errorMessage(sessions.error)}</Alert>
            </div>
          </Match>
          <Match when={sessions.loading && !sessions.latest}>
            <SkeletonRows cols={4} rows={2} />
          </Match>
          <Match when={sessions()}>
            <Table
              caption="Active sessions"
              rows={sessions()!.sessions}
              rowKey={(s) => s.id}
              columns={[
                {
                  header: "Device",
                  cell: (s) => (
                    <div class="person">
                      <span class="device-icon">
                        <Icon name="monitor" size={16} />
                      </span>
                      <div class="cell-main">
                        <span class="cell-title">
                          {s.device} {s.current && <Badge tone="success" dot>This device</Badge>}
                        </span>
                        <span class="cell-sub">{s.ip ?? "Unknown IP"}</span>
                      </div>
                    </div>
                  ),
                },
                { header: "Signed in", cell: (s) => <span class="muted nowrap">{formatDateTime(s.createdAt)}</span>, class: "hide-sm" },
                { header: "Last active", cell: (s) => <span class="nowrap" title={formatDateTime(s.lastUsedAt ?? s.createdAt)}>{timeAgo(s.lastUsedAt ?? s.createdAt)}</span> },
              ]}
            />
          </Match>
        </Switch>
      </Card>
    </>
  );
}

/**
 * The label of each action key routes declare (doc({ activity })). Rows store the key, so a route's
 * path can change without renaming past entries; a key no longer declared keeps a readable label.
 */
const LABELS: Record<string, string> = {
  "auth.signup": "Signed up",
  "auth.login": "Signed in",
  "auth.logout": "Signed out",
  "auth.logout-all": "Signed out everywhere",
  "auth.refresh": "Session renewed",
  "auth.password.change": "Changed password",
  "auth.password-reset.request": "Requested a password reset",
  "auth.password-reset.confirm": "Reset password",
  "account.update": "Updated profile",
  "account.delete": "Requested account deletion",
  "account.restore": "Cancelled account deletion",
  "organization.update": "Updated the organization",
  "organization.member.role": "Changed a member's role",
  "organization.member.remove": "Removed a member",
  "organization.invitation.create": "Invited someone to the organization",
  "organization.invitation.revoke": "Revoked an invitation",
  "organization.delete": "Requested organization deletion",
  "organization.restore": "Cancelled organization deletion",
  "organization.processing": "Changed the organization's processing restrictions",
  "workspace.create": "Created a workspace",
  "dashboard.layout.save": "Arranged the dashboard",
  "dashboard.layout.reset": "Reset the dashboard to its default widgets",
  "dashboard.time-zone.set": "Changed the workspace's time zone",
  "metrics.rollups.rebuild": "Rebuilt the dashboard figures",
  "workspace.update": "Updated a workspace",
  "workspace.delete": "Deleted a workspace",
  "workspace.invitation.create": "Invited a portal user",
  "workspace.invitation.revoke": "Revoked a portal invitation",
  "workspace.portal-user.role": "Changed a portal user's role",
  "workspace.portal-user.revoke": "Revoked a portal user's access",
  "invitation.preview": "Opened an invitation",
  "invitation.accept": "Accepted an invitation",
  "integration.connect": "Connected an integration",
  "integration.oauth.complete": "Completed an integration sign-in",
  "integration.sync": "Started a sync",
  "integration.disconnect": "Disconnected an integration",
  "inbox.mailbox.connect": "Started connecting a mailbox",
  "inbox.mailbox.sync": "Synced a mailbox",
  "inbox.mailbox.disconnect": "Disconnected a mailbox",
  "inbox.conversation.update": "Updated an inbox conversation",
  "inbox.conversation.read": "Read an inbox conversation",
  "inbox.note.create": "Added an internal note",
  "inbox.draft.save": "Saved a reply draft",
  "inbox.reply.send": "Sent a reply",
  "inbox.images.allow": "Allowed images from a sender",
  "notification.read": "Read a notification",
  "webhook.receive": "Received a webhook",
  "analytics.event": "Used a feature",
  "privacy.export.start": "Started a data export",
  "privacy.export.link": "Created an export download link",
  "privacy.processing": "Changed processing restrictions",
  "privacy.consent": "Changed cookie consent",
  "privacy.request.create": "Filed a privacy request",
  "privacy.request.attach": "Attached a document to a privacy request",
  "privacy.request.cancel": "Withdrew a privacy request",
  "privacy.policy.accept": "Accepted the privacy policy",
  "operator.dsr.file": "Filed a request for a data subject",
  "operator.dsr.update": "Worked a data-subject request",
  "operator.user.child": "Flagged a child's account",
  "operator.policy.publish": "Published a policy version",
  "operator.incident.create": "Recorded an incident",
  "operator.incident.update": "Updated an incident",
  "operator.incident.notify": "Notified users of an incident",
  "operator.vault.rotate": "Rotated vault keys",
};

const humanize = (key: string) => {
  const words = key.replace(/[._-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Unknown action";
};

/** "Connected an integration · shopify": the declared label and what the entry acted on. */
export function activityLabel(action: string, targetType: string | null, targetId: string | null, status = 200) {
  const base = action === "auth.login" && status >= 400 ? "Failed sign-in" : (LABELS[action] ?? humanize(action));
  const named = targetType === "provider" || targetType === "email-domain" ? targetId : null;
  return named ? `${base} · ${named}` : base;
}

export const isDeclaredAction = (action: string) => action in LABELS;

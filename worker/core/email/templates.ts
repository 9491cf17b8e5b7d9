/** Invitation to join an organization (member) or a client workspace (portal user). */
export function invitationEmail(input: {
  inviterName: string;
  orgName: string;
  workspaceName: string | null;
  role: string;
  link: string;
  expiresAt: number;
}) {
  const where = input.workspaceName ? `the "${input.workspaceName}" workspace of ${input.orgName}` : input.orgName;
  const expires = new Date(input.expiresAt).toUTCString();
  return {
    subject: `${input.inviterName} invited you to ${input.workspaceName ?? input.orgName} on QWEB`,
    text: [
      `${input.inviterName} invited you to join ${where} on QWEB as ${input.role}.`,
      "",
      "Accept the invitation here:",
      input.link,
      "",
      `The link works once and expires on ${expires}.`,
      "If you did not expect this invitation, ignore this email.",
    ].join("\n"),
  };
}

/** P12: sent once when failed sign-ins lock an account out for one source IP. */
export function lockoutEmail(input: { name: string; ip: string; at: number; minutes: number; resetLink: string }) {
  return {
    subject: "Sign-in attempts to your QWEB account were blocked",
    text: [
      `Hi ${input.name},`,
      "",
      `Several sign-in attempts with a wrong password were made to your QWEB account from the IP address ${input.ip}`,
      `(last at ${new Date(input.at).toUTCString()}). Further attempts from that address are blocked for ${input.minutes} minutes.`,
      "You can still sign in from your usual devices.",
      "",
      "If this was not you, choose a new password here:",
      input.resetLink,
    ].join("\n"),
  };
}

export function passwordResetEmail(input: { name: string; link: string; expiresAt: number }) {
  return {
    subject: "Reset your QWEB password",
    text: [
      `Hi ${input.name},`,
      "",
      "Someone (hopefully you) asked to reset the password of your QWEB account. Choose a new password here:",
      input.link,
      "",
      `The link works once and expires on ${new Date(input.expiresAt).toUTCString()}.`,
      "If you did not ask for this, ignore this email: your password stays unchanged.",
    ].join("\n"),
  };
}

/** Sent after every password change or reset (ASVS: users are told when credentials change). */
export function passwordChangedEmail(input: { name: string; at: number; ip: string }) {
  return {
    subject: "Your QWEB password was changed",
    text: [
      `Hi ${input.name},`,
      "",
      `The password of your QWEB account was changed on ${new Date(input.at).toUTCString()} from the IP address ${input.ip}.`,
      "Every other device was signed out.",
      "",
      "If this was not you, reset your password at once from the sign-in page and contact support.",
    ].join("\n"),
  };
}

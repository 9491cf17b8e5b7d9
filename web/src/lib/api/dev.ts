// The local dev mailbox (/api/dev/*) is not part of the published API document, so its shape is written here.
export type MailMessage = { id: string; to: string; subject: string; text: string; createdAt: number };

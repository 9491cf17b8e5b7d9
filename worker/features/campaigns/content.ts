// An AI email content item (subject lines, preheader, sections, call to action) → the campaign's
// subject, preheader and a plain, inline-styled HTML body (what email clients render reliably).

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const str = (v: unknown) => (typeof v === "string" ? v : "");
const safeUrl = (u: string) => (/^https?:\/\//i.test(u) ? u : "#");

export function bodyFromContent(title: string, body: Record<string, unknown>) {
  const subjects = Array.isArray(body.subjectLines) ? body.subjectLines.map(str).filter(Boolean) : [];
  const sections = Array.isArray(body.sections) ? (body.sections as { heading?: unknown; body?: unknown }[]) : [];
  const cta = (body.cta ?? {}) as { label?: unknown; url?: unknown };
  const subject = (subjects[0] || title).slice(0, 150);
  const preheader = str(body.preheader).slice(0, 150);
  const parts = sections.map((s) => `<h2 style="font-size:20px;margin:24px 0 8px">${esc(str(s.heading))}</h2>\n<p style="font-size:16px;line-height:1.5;margin:0 0 12px">${esc(str(s.body)).replace(/\n/g, "<br>")}</p>`);
  if (str(cta.label)) parts.push(`<p style="margin:24px 0"><a href="${esc(safeUrl(str(cta.url)))}" style="background:#1f6feb;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none">${esc(str(cta.label))}</a></p>`);
  const html = `<div style="font-family:Arial,Helvetica,sans-serif;max-width:600px;margin:0 auto;color:#1b1f24">\n${parts.join("\n")}\n</div>`;
  const text = [...sections.map((s) => `${str(s.heading)}\n\n${str(s.body)}`), str(cta.label) ? `${str(cta.label)}: ${str(cta.url)}` : ""].filter(Boolean).join("\n\n");
  return { subject, preheader, html, text };
}

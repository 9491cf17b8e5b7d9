import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import type { financeSettings, invoiceLines, invoices } from "../../../db/schema";
import { fromMinor } from "../../../lib/money";

type Invoice = typeof invoices.$inferSelect;
type Line = typeof invoiceLines.$inferSelect;
type Settings = typeof financeSettings.$inferSelect;

// The standard fonts encode WinAnsi only: anything else is shown as "?" rather than failing.
const WIN_ANSI = /[^\x20-\x7E\u00A0-\u00FF\u20AC\u2013\u2014\u2018\u2019\u201C\u201D\u2022\u2026]/g;
const clean = (s: string) => s.replace(/[\r\n\t]+/g, " ").replace(WIN_ANSI, "?");

function fit(text: string, font: PDFFont, size: number, width: number) {
  let s = clean(text);
  while (s.length > 1 && font.widthOfTextAtSize(s, size) > width) s = s.slice(0, -2) + "…";
  return s;
}

/** The invoice as a one-or-more-page A4 PDF, rendered in the Worker. */
/** `logo`: the bytes of the agency's logo (its type in `settings.logoType`), when it has one. */
export async function renderInvoicePdf(inv: Invoice, lines: Line[], settings: Settings, logo: Uint8Array | null = null): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(clean(`${inv.kind === "credit_note" ? "Credit note" : "Invoice"} ${inv.number}`));
  doc.setCreator("QWEB");
  doc.setCreationDate(new Date(inv.createdAt));
  doc.setModificationDate(new Date(inv.updatedAt));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const money = (m: number) => fromMinor(m, inv.currency);
  let page: PDFPage = doc.addPage([595, 842]);
  let y = 790;
  const text = (s: string, x: number, opts: { size?: number; f?: PDFFont; width?: number; right?: boolean } = {}) => {
    const size = opts.size ?? 10;
    const f = opts.f ?? font;
    const t = fit(s, f, size, opts.width ?? 480);
    page.drawText(t, { x: opts.right ? x - f.widthOfTextAtSize(t, size) : x, y, size, font: f, color: rgb(0.1, 0.12, 0.16) });
  };
  // The agency's mark: its uploaded logo (fitted into 140 × 44 pt), else its initials in a brand square.
  let x0 = 94;
  const image = settings.logoKey && logo ? await (settings.logoType === "image/jpeg" ? doc.embedJpg(logo) : doc.embedPng(logo)).catch(() => null) : null;
  if (image) {
    const scale = Math.min(140 / image.width, 44 / image.height);
    const w = image.width * scale;
    const h = image.height * scale;
    page.drawImage(image, { x: 50, y: y + 26 - h, width: w, height: h });
    x0 = 50 + w + 10;
  } else {
    page.drawRectangle({ x: 50, y: y - 8, width: 34, height: 34, color: rgb(0.12, 0.43, 0.92) });
    const initials = clean(settings.agencyName ?? "Q").split(/\s+/).map((w) => w[0] ?? "").join("").slice(0, 2).toUpperCase() || "Q";
    page.drawText(initials, { x: 58, y: y + 3, size: 13, font: bold, color: rgb(1, 1, 1) });
  }
  text(settings.agencyName ?? "Your agency", x0, { size: 14, f: bold, width: 400 - x0 });
  text(inv.kind === "credit_note" ? "CREDIT NOTE" : "INVOICE", 545, { size: 18, f: bold, right: true });
  y -= 18;
  for (const l of (settings.agencyDetails ?? "").split("\n").slice(0, 4)) {
    text(l, x0, { size: 9, width: 400 - x0 });
    y -= 12;
  }
  y = 700;
  text("Bill to", 50, { f: bold });
  text(`Number: ${inv.number}`, 545, { right: true });
  y -= 14;
  text(inv.billTo.name, 50);
  text(`Issued: ${inv.issueDate}`, 545, { right: true });
  y -= 14;
  for (const l of (inv.billTo.address ?? "").split("\n").slice(0, 3)) {
    text(l, 50, { size: 9 });
    y -= 12;
  }
  text(`Due: ${inv.dueDate}`, 545, { right: true });
  y = Math.min(y, 640) - 20;
  const header = () => {
    page.drawRectangle({ x: 50, y: y - 4, width: 495, height: 18, color: rgb(0.93, 0.95, 0.98) });
    text("Description", 56, { f: bold, size: 9 });
    text("Qty", 330, { f: bold, size: 9, right: true });
    text("Unit price", 405, { f: bold, size: 9, right: true });
    text("Tax", 460, { f: bold, size: 9, right: true });
    text(`Amount (${inv.currency})`, 540, { f: bold, size: 9, right: true });
    y -= 22;
  };
  header();
  for (const l of [...lines].sort((a, b) => a.position - b.position)) {
    if (y < 120) {
      page = doc.addPage([595, 842]);
      y = 790;
      header();
    }
    text(l.description, 56, { size: 9, width: 235 });
    text(String(l.quantityMilli / 1000), 330, { size: 9, right: true });
    text(money(l.unitPriceMinor), 405, { size: 9, right: true });
    text(money(l.taxMinor), 460, { size: 9, right: true });
    text(money(l.totalMinor), 540, { size: 9, right: true });
    y -= 16;
  }
  y -= 10;
  const row = (label: string, value: number, strong = false) => {
    text(label, 430, { f: strong ? bold : font, right: true });
    text(money(value), 540, { f: strong ? bold : font, right: true });
    y -= 15;
  };
  row("Subtotal", inv.subtotalMinor);
  if (inv.discountMinor) row("Discounts", -inv.discountMinor);
  row("Tax", inv.taxMinor);
  row(`Total ${inv.currency}`, inv.totalMinor, true);
  if (inv.paidMinor) row("Paid", -inv.paidMinor);
  if (inv.creditedMinor) row("Credited", -inv.creditedMinor);
  y -= 20;
  for (const block of [inv.notes, inv.terms]) {
    for (const l of block.split("\n").slice(0, 6)) {
      if (y < 60) break;
      text(l, 50, { size: 9, width: 495 });
      y -= 12;
    }
    y -= 6;
  }
  return doc.save();
}

export const pdfKey = (orgId: string, invoiceId: string) => `finance/${orgId}/invoices/${invoiceId}.pdf`;

import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from "pdf-lib";
import type { ReportModel } from "./model";
import { changeText, figureText } from "./text";

const A4: [number, number] = [595.28, 841.89];
const M = 48;
const hex = (h: string) => {
  const m = /^#?([0-9a-f]{6})$/i.exec(h);
  const n = m ? parseInt(m[1]!, 16) : 0x4f46e5;
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
};
/** WinAnsi (the standard fonts) cannot draw every character: replace what it cannot. */
const safe = (s: string) => s.replace(/[^\x20-\x7E\u00A0-\u00FF]/g, "?");

/** Draws the report from its model: branding header, KPI grid, bar charts, top tables, notes. */
export async function renderPdf(model: ReportModel): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(safe(model.title));
  doc.setProducer("QWEB");
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const primary = hex(model.branding.primaryColor);
  const accent = hex(model.branding.accentColor);
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - M;
  const text = (s: string, x: number, size = 10, f: PDFFont = font, color = rgb(0.1, 0.1, 0.15)) => page.drawText(safe(s), { x, y, size, font: f, color });
  const need = (h: number) => {
    if (y - h >= M) return;
    page = doc.addPage(A4);
    y = A4[1] - M;
  };
  // Header band with the agency's name and colours.
  page.drawRectangle({ x: 0, y: A4[1] - 90, width: A4[0], height: 90, color: primary });
  text(model.branding.logoText ?? model.branding.agencyName, M, 20, bold, rgb(1, 1, 1));
  y -= 26;
  text(`${model.branding.clientName} - ${model.title}`, M, 12, font, rgb(1, 1, 1));
  y = A4[1] - 120;
  text(`Period ${model.range.from} to ${model.range.to} (${model.timeZone})${model.comparison ? `, compared with ${model.comparison.from} to ${model.comparison.to}` : ""}`, M, 9);
  y -= 24;
  for (const s of model.sections) {
    if (s.kind === "kpis") {
      const cells = s.kpis.flatMap((k) => Object.entries(k.value).map(([cur, v]) => ({ k, cur, v })));
      for (let i = 0; i < cells.length; i += 3) {
        need(52);
        cells.slice(i, i + 3).forEach(({ k, cur, v }, j) => {
          const x = M + j * 168;
          page.drawRectangle({ x, y: y - 40, width: 160, height: 50, borderColor: accent, borderWidth: 1 });
          page.drawText(safe(k.label), { x: x + 8, y: y - 2, size: 8, font, color: rgb(0.35, 0.35, 0.4) });
          page.drawText(safe(figureText(k.unit, v, cur)), { x: x + 8, y: y - 20, size: 13, font: bold, color: rgb(0.1, 0.1, 0.15) });
          page.drawText(safe(changeText(k.change?.[cur])), { x: x + 8, y: y - 34, size: 8, font, color: (k.change?.[cur] ?? 0) < 0 ? rgb(0.7, 0.1, 0.1) : rgb(0.05, 0.45, 0.3) });
        });
        y -= 60;
      }
    } else if (s.kind === "chart") {
      need(150);
      text(s.label, M, 12, bold);
      y -= 120;
      const vals = s.points.map((p) => Object.values(p.value)[0] ?? 0);
      const max = Math.max(1, ...vals.map((v) => v ?? 0));
      const w = (A4[0] - 2 * M) / Math.max(1, vals.length);
      vals.forEach((v, i) => page.drawRectangle({ x: M + i * w, y, width: Math.max(1, w * 0.8), height: ((v ?? 0) / max) * 100, color: accent }));
      y -= 24;
    } else if (s.kind === "top") {
      need(40);
      text(`Top ${s.dimension.replace("_", " ")}s`, M, 12, bold);
      y -= 18;
      for (const r of s.rows) {
        need(16);
        text(r.label.slice(0, 60), M, 9);
        s.metrics.forEach((m, j) => {
          const [cur, v] = Object.entries(r.figures[m] ?? {})[0] ?? ["", null];
          page.drawText(safe(figureText(m.includes("revenue") ? "money" : "count", v, cur)), { x: 340 + j * 80, y, size: 9, font });
        });
        y -= 14;
      }
      y -= 10;
    } else {
      need(40);
      text("Note", M, 12, bold);
      y -= 16;
      for (const line of s.text.match(/.{1,95}(\s|$)/g) ?? []) {
        need(14);
        text(line.trim(), M, 10);
        y -= 13;
      }
      y -= 8;
    }
  }
  // useObjectStreams off keeps the file readable by the simplest PDF tools.
  return doc.save({ useObjectStreams: false });
}

import { describe, expect, it } from "vitest";
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { exports } from "cloudflare:workers";
import { BASE, call, env, expectStatus, inviteAndAccept } from "../support/harness";
import { newAgency, ok, type Agency } from "./support";

const bytesOf = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const PNG = bytesOf("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
const JPEG = bytesOf("/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=");
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');

function upload(a: { fin: (p: string) => string }, token: string, bytes: Uint8Array, name = "logo.png", declaredType = "image/png") {
  const form = new FormData();
  form.set("file", new File([bytes], name, { type: declaredType }));
  return call("POST", a.fin("/settings/logo"), { token, rawBody: form });
}

/** The images drawn on the PDF's first page, as pdf-lib reads them back: their filter (DCTDecode = JPEG, FlateDecode = PNG) and pixel size. */
async function imagesOnFirstPage(pdf: Uint8Array) {
  const doc = await PDFDocument.load(pdf);
  const xobjects = doc.getPage(0).node.Resources()?.lookupMaybe(PDFName.of("XObject"), PDFDict);
  if (!xobjects) return [];
  return xobjects.keys().flatMap((k) => {
    const obj = xobjects.lookup(k);
    if (!(obj instanceof PDFRawStream) || obj.dict.get(PDFName.of("Subtype"))?.toString() !== "/Image") return [];
    return [{ filter: obj.dict.get(PDFName.of("Filter"))?.toString(), width: Number(obj.dict.get(PDFName.of("Width"))?.toString()), height: Number(obj.dict.get(PDFName.of("Height"))?.toString()) }];
  });
}

/** A binary answer (the harness's `call` reads text). */
async function bytesFrom(path: string, token: string) {
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { headers: { authorization: `Bearer ${token}` } }));
  return { status: res.status, type: res.headers.get("content-type"), bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function draftPdf(a: Agency) {
  const inv = await ok("POST", a.fin("/invoices"), a.token, { workspaceId: a.workspaceId, billTo: { name: "Logo client" }, lines: [{ description: "Work", quantity: 1, unitPriceMinor: 10_000 }] });
  const res = await bytesFrom(a.fin(`/invoices/${inv.id}/pdf`), a.token);
  expect(res.status).toBe(200);
  return res.bytes;
}

const logoObjects = async (orgId: string) => (await env.FILES.list({ prefix: `finance/${orgId}/logo/` })).objects.length;

describe("finance: the agency's invoice logo", () => {
  it("a PNG upload is stored in R2, shown in settings and drawn on the invoice PDF; a JPEG replaces it; removing it leaves the initials", async () => {
    const a = await newAgency("Logo");
    expect((await ok("GET", a.fin("/settings"), a.token)).logo).toBeNull();
    expect(await imagesOnFirstPage(await draftPdf(a))).toEqual([]);

    const up = await upload(a, a.token, PNG, "logo.bin", "application/octet-stream");
    expectStatus(up, 200);
    expect(up.json.logo).toEqual({ type: "image/png", width: 1, height: 1, bytes: PNG.byteLength });
    expect(up.json).not.toHaveProperty("logoKey");
    const back = await bytesFrom(a.fin("/settings/logo"), a.token);
    expect(back).toMatchObject({ status: 200, type: "image/png" });
    expect(back.bytes).toEqual(PNG);
    expect(await imagesOnFirstPage(await draftPdf(a))).toEqual([{ filter: "/FlateDecode", width: 1, height: 1 }]);

    expectStatus(await upload(a, a.token, JPEG, "logo.jpg", "image/jpeg"), 200);
    expect((await ok("GET", a.fin("/settings"), a.token)).logo).toMatchObject({ type: "image/jpeg", width: 1, height: 1 });
    expect(await imagesOnFirstPage(await draftPdf(a))).toEqual([{ filter: "/DCTDecode", width: 1, height: 1 }]);
    expect(await logoObjects(a.orgId)).toBe(1); // the replaced PNG is gone from R2

    const removed = await call("DELETE", a.fin("/settings/logo"), { token: a.token });
    expectStatus(removed, 200);
    expect(removed.json.logo).toBeNull();
    expect(await logoObjects(a.orgId)).toBe(0);
    expectStatus(await call("GET", a.fin("/settings/logo"), { token: a.token }), 404);
    expect(await imagesOnFirstPage(await draftPdf(a))).toEqual([]);
    expectStatus(await call("DELETE", a.fin("/settings/logo"), { token: a.token }), 404);
  });

  it("refuses SVG and other types by their bytes (415), a file over 1 MB (413), an empty or unreadable image and a missing field (400)", async () => {
    const a = await newAgency("LogoErr");
    const svg = await upload(a, a.token, SVG, "logo.svg", "image/svg+xml");
    expectStatus(svg, 415);
    expect(svg.json.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expectStatus(await upload(a, a.token, new TextEncoder().encode("GIF89a not really"), "logo.png", "image/png"), 415);
    expectStatus(await call("POST", a.fin("/settings/logo"), { token: a.token, body: { file: "x" } }), 415);
    const big = new Uint8Array(1024 * 1024 + 1);
    big.set(PNG);
    const tooBig = await upload(a, a.token, big);
    expectStatus(tooBig, 413);
    expect(tooBig.json.error.code).toBe("PAYLOAD_TOO_LARGE");
    expectStatus(await upload(a, a.token, new Uint8Array()), 400);
    // A PNG signature followed by garbage: sniffed as PNG, but not an image anyone can draw.
    const broken = new Uint8Array(200);
    broken.set(PNG.slice(0, 16));
    expectStatus(await upload(a, a.token, broken), 400);
    const form = new FormData();
    form.set("other", "x");
    expectStatus(await call("POST", a.fin("/settings/logo"), { token: a.token, rawBody: form }), 400);
    expect((await ok("GET", a.fin("/settings"), a.token)).logo).toBeNull();
    expect(await logoObjects(a.orgId)).toBe(0);
  });

  it("tenant isolation: another organization can neither read, replace nor remove this logo (404); a member may not change it (403)", async () => {
    const a = await newAgency("LogoMine");
    const b = await newAgency("LogoOther");
    expectStatus(await upload(a, a.token, PNG), 200);
    expectStatus(await call("GET", a.fin("/settings/logo"), { token: b.token }), 404);
    expectStatus(await upload(a, b.token, JPEG, "x.jpg", "image/jpeg"), 404);
    expectStatus(await call("DELETE", a.fin("/settings/logo"), { token: b.token }), 404);
    expectStatus(await call("GET", b.fin("/settings/logo"), { token: b.token }), 404);
    const member = await inviteAndAccept(a, { orgId: a.orgId }, "member", "Mo Member");
    expectStatus(await upload(a, member.token, JPEG, "x.jpg", "image/jpeg"), 403);
    expect((await ok("GET", a.fin("/settings"), a.token)).logo).toMatchObject({ type: "image/png" });
  });
});

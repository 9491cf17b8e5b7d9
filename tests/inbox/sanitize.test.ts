import { describe, expect, it } from "vitest";
import { revealImages, sanitizeEmailHtml } from "../../worker/lib/sanitize-html";
import { connectGmail, conversations, deliver, mailboxObject, ownerWithWorkspace, syncMailbox, thread, uniqueAddress, call, expectStatus } from "./support";

/** Hostile mail as it arrives in the wild: every way HTML can run code, exfiltrate or track. */
const HOSTILE: [string, string][] = [
  ["script element", `<p>hi</p><script>alert(1)</script><SCRIPT src="https://evil.example/x.js"></SCRIPT>`],
  ["event handlers", `<img src="x" onerror="alert(1)"><div onclick="alert(2)" onmouseover='alert(3)'>x</div><body onload=alert(4)>`],
  ["javascript: links", `<a href="javascript:alert(1)">a</a><a href=" JaVaScRiPt:alert(2)">b</a><a href="java&#x09;script:alert(3)">c</a><a href="vbscript:msgbox(1)">d</a>`],
  ["data: URLs", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a><img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`],
  ["CSS expression and url(javascript:)", `<div style="width: expression(alert(1)); color: red">x</div><p style="background:url(javascript:alert(2))">y</p><p style="behavior:url(x.htc)">z</p>`],
  ["style and link elements", `<style>body{background:url(https://evil.example/t.gif)}</style><link rel="stylesheet" href="https://evil.example/s.css">`],
  ["frames, objects, forms", `<iframe src="https://evil.example"></iframe><object data="x.swf"></object><embed src="x.swf"><form action="https://evil.example"><input name="pw"><button>Go</button></form>`],
  ["svg and math", `<svg><script>alert(1)</script><a xlink:href="javascript:alert(2)">x</a></svg><math><mtext><img src=x onerror=alert(3)></mtext></math>`],
  ["meta refresh and base", `<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">`],
  ["tracking pixel", `<p>News</p><img src="https://track.example/open.gif?u=1" width="1" height="1"><img src="https://t.example/p.png" style="display:none">`],
  ["comments and conditional comments", `<!--[if mso]><script>alert(1)</script><![endif]--><p>ok</p><!-- <img src=x onerror=alert(2)> -->`],
];

const DANGEROUS = /<script|<iframe|<object|<embed|<form|<svg|<math|<style|<link|<meta|<base|\son\w+\s*=|javascript:|vbscript:|data:|expression\s*\(|url\s*\(|behavior/i;

describe("email HTML sanitizing", () => {
  for (const [name, html] of HOSTILE) {
    it(`removes ${name}`, async () => {
      const out = await sanitizeEmailHtml(html);
      expect(out.html).not.toMatch(DANGEROUS);
      // Any src left is ours to restore later, never a live one.
      expect(out.html).not.toMatch(/\ssrc\s*=/i);
    });
  }

  it("keeps the readable content and safe formatting, and makes links open safely", async () => {
    const out = await sanitizeEmailHtml(`<table><tr><td style="color: #333; padding: 4px"><h1>Hello <b>Ada</b></h1><p>Visit <a href="https://example.com/x?a=1&amp;b=2">our site</a> or <a href="mailto:ada@example.com">mail</a></p></td></tr></table>`);
    expect(out.html).toContain("<h1>Hello <b>Ada</b></h1>");
    expect(out.html).toContain('style="color: #333; padding: 4px"');
    expect(out.html).toMatch(/<a href="https:\/\/example.com\/x\?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">our site<\/a>/);
    expect(out.html).toContain('href="mailto:ada@example.com"');
  });

  it("plain formatting comes back as it was; one attribute, comment, other element or odd tag anywhere in it is sanitized as hostile mail is", async () => {
    const plain = `<div><p>Hello,</p><p>Could you please <em>pause the campaign</em>? Thanks!</p><p>Ada<br><small>Lumen &amp; Co</small></p></div>`;
    expect(await sanitizeEmailHtml(plain)).toEqual({ html: plain, remoteImages: 0, trackersRemoved: 0 });
    const tails: [string, RegExp][] = [
      [`<p onclick="alert(1)">x</p>`, /onclick/],
      [`<p>x</p ><script>alert(1)</script>`, /<script/],
      [`<P>x</P><SCRIPT>alert(1)</SCRIPT>`, /script/i],
      [`<!-- <img src=x onerror=alert(1)> -->`, /<!--|onerror/],
      [`<textarea><p>x</p></textarea><b>y</b>`, /textarea/],
      [`<br/><iframe src="https://evil.example"></iframe>`, /iframe/],
      [`<a>x</a><a href="javascript:alert(1)">y</a>`, /javascript/],
      [`< p>x</p><svg onload="alert(1)"></svg>`, /svg|onload/],
      [`<p>x</p><x:script>alert(1)</x:script>`, /script/],
    ];
    for (const [tail, bad] of tails) {
      const out = await sanitizeEmailHtml(plain + tail);
      expect(out.html).toContain("<em>pause the campaign</em>");
      expect(out.html).not.toMatch(bad);
    }
    // An image, even a bare one, is always the sanitizer's: it gets its placeholder text.
    expect((await sanitizeEmailHtml(`<p>x</p><img>`)).html).toContain('alt="[image]"');
  });

  it("holds back remote images (counted), drops tracking pixels, and restores the held images only on request", async () => {
    const out = await sanitizeEmailHtml(`<img src="https://cdn.example/banner.png" alt="Banner"><img src="https://track.example/o.gif" width="1" height="1">`);
    expect(out).toMatchObject({ remoteImages: 1, trackersRemoved: 1 });
    expect(out.html).not.toContain("track.example");
    expect(out.html).toContain('data-qweb-remote="https://cdn.example/banner.png"');
    expect(out.html).not.toMatch(/\ssrc=/);
    const shown = await revealImages(out.html);
    expect(shown).toContain('src="https://cdn.example/banner.png"');
    expect(shown).not.toContain("track.example");
  });

  it("a synced hostile message reaches the API only sanitized; remote images appear after 'show images from this sender'", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const address = uniqueAddress("hostile");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    const html = `<p>Offer</p><script>alert(1)</script><img src="https://cdn.promo.example/hero.jpg" alt="Hero"><img src="https://px.promo.example/o.gif" width="1" height="1"><a href="javascript:alert(1)">win</a>`;
    await deliver(address, { from: "Promo <promo@promo.example>", subject: "Hostile offer", html, text: "Offer" });
    await mailboxObject(id).syncNow();
    await syncMailbox(id);
    const conv = (await conversations(t)).conversations.find((c) => c.subject === "Hostile offer")!;
    const before = (await thread(t, conv.id)).messages[0]!;
    expect(before.html).not.toMatch(DANGEROUS);
    expect(before).toMatchObject({ remoteImages: 1, imagesAllowed: false });
    expect(before.html).not.toContain('src="https://cdn.promo.example');
    expectStatus(await call("POST", `/api/inbox/conversations/${conv.id}/images`, { token: t.token, body: { sender: "nobody@else.example" } }), 400);
    expectStatus(await call("POST", `/api/inbox/conversations/${conv.id}/images`, { token: t.token, body: { sender: "promo@promo.example" } }), 204);
    const after = (await thread(t, conv.id)).messages[0]!;
    expect(after.imagesAllowed).toBe(true);
    expect(after.html).toContain('src="https://cdn.promo.example/hero.jpg"');
    expect(after.html).not.toContain("px.promo.example");
    expect(after.html).not.toMatch(DANGEROUS);
  });
});

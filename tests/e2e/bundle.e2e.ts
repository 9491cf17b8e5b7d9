import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

// Reads the build that global-setup made (`npm start` builds the same way).
const dist = path.resolve(import.meta.dirname, "../../dist/web");
const LIMIT = 100 * 1024;

const html = () => readFileSync(path.join(dist, "index.html"), "utf8");
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** The entry script, its modulepreloads and every chunk they import statically: what loads before any route. */
const entryScript = () => path.join(dist, attr(/<script\b[^>]*type="module"[^>]*>/.exec(html())![0], "src")!);

function initialChunks(): string[] {
  const doc = html();
  const start = [...doc.matchAll(/<script\b[^>]*>/g)].map((m) => attr(m[0], "src")).concat(
    [...doc.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*>/g)].map((m) => attr(m[0], "href")),
  );
  const seen = new Set<string>();
  const queue = start.filter((s): s is string => !!s).map((s) => path.join(dist, s));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, "utf8");
    // Static imports only: `import{…}from"./x.js"` and `import"./x.js"`; `import("./x.js")` is lazy.
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["']([^"']+\.js)["']/g)) queue.push(path.resolve(path.dirname(file), m[1]!));
  }
  return [...seen];
}

/**
 * Every file the current build can load: index.html, what it links, and every asset named in a
 * loaded file (static and lazy imports alike). Older builds' chunks kept beside it are not in it.
 */
function currentBuild(): string[] {
  const assets = new Set(readdirSync(path.join(dist, "assets")));
  const seen = new Set<string>([path.join(dist, "index.html")]);
  const queue = [...seen];
  while (queue.length) {
    const text = readFileSync(queue.pop()!, "utf8");
    for (const m of text.matchAll(/([\w.-]+\.(?:js|css))(?=["'`])/g)) {
      const file = path.join(dist, "assets", m[1]!);
      if (assets.has(m[1]!) && !seen.has(file)) {
        seen.add(file);
        queue.push(file);
      }
    }
  }
  return [...seen];
}

describe("the built web app", () => {
  it("loads less than 100 KB of JavaScript (gzip) before the first route", () => {
    const chunks = initialChunks();
    const sizes = chunks.map((f) => ({ file: path.relative(dist, f), gzip: gzipSync(readFileSync(f)).length }));
    const total = sizes.reduce((s, x) => s + x.gzip, 0);
    console.log(`initial JS: ${(total / 1024).toFixed(1)} KB gzip in ${sizes.length} chunk(s): ${sizes.map((s) => `${s.file} ${(s.gzip / 1024).toFixed(1)} KB`).join(", ")}`);
    expect(chunks.length).toBeGreaterThan(0);
    expect(total).toBeLessThan(LIMIT);
  });

  it("is a production build (no Solid development runtime)", () => {
    const js = currentBuild().filter((f) => f.endsWith(".js"));
    expect(js.length).toBeGreaterThan(10);
    for (const f of js) expect(readFileSync(f, "utf8"), path.basename(f)).not.toContain("created outside a `createRoot`");
  });

  it("lazy-loads its routes", () => {
    const entry = readFileSync(entryScript(), "utf8");
    expect((entry.match(/import\(/g) ?? []).length).toBeGreaterThan(5);
  });

  it("P22: the built UI references no third-party origin", () => {
    const doc = html();
    // Every script, stylesheet, icon and image in the page is same-origin (or inline data).
    for (const m of doc.matchAll(/\s(?:src|href)="([^"]*)"/g)) expect(m[1], m[0]).toMatch(/^(\/(?!\/)|data:|#)/);
    const offenders: string[] = [];
    for (const f of currentBuild()) {
      const text = readFileSync(f, "utf8");
      if (f.endsWith(".css")) {
        for (const m of text.matchAll(/url\(\s*["']?([^"')]+)/g)) if (!/^(data:|\/(?!\/)|#)/.test(m[1]!)) offenders.push(`${path.basename(f)}: url(${m[1]})`);
        if (/@import/.test(text)) offenders.push(`${path.basename(f)}: @import`);
      }
      // Any absolute URL to a real host. XML namespace identifiers (never fetched) and the
      // router's dot-less URL-parsing bases ("http://sr") are not hosts.
      for (const m of text.matchAll(/(?:https?:|["'`(=]\s*)\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi)) {
        if (m[1] === "www.w3.org") continue;
        offenders.push(`${path.basename(f)}: ${m[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

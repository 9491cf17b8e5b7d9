// Finds Debian's Chromium (and poppler's pdftoppm) for the browser tests; installs what is missing
// when running as root, otherwise stops with a one-line instruction. Never a silent skip.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);

export function findChromium() {
  return candidates.find((p) => existsSync(p));
}

const PDFTOPPM = "/usr/bin/pdftoppm";

/** Debian packages the browser tests need that are missing: Chromium, and poppler's pdftoppm (a report PDF rendered to a screenshot). */
const missingPackages = () => [...(findChromium() ? [] : ["chromium"]), ...(existsSync(PDFTOPPM) ? [] : ["poppler-utils"])];

export function ensureChromium() {
  const missing = missingPackages();
  if (missing.length && process.getuid?.() === 0) {
    console.log(`Browser tests need ${missing.join(" and ")}: installing Debian's package(s) (apt-get)...`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    for (const args of [["update", "-qq"], ["install", "-y", "-qq", ...missing]]) {
      const r = spawnSync("apt-get", args, { stdio: "inherit", env });
      if (r.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed`);
    }
  }
  const still = missingPackages();
  if (!still.length) return findChromium();
  console.error(`Browser tests need ${still.join(" and ")}: run \`sudo apt-get install -y ${still.join(" ")}\` (or set CHROMIUM_PATH) and run npm test again.`);
  process.exit(1);
}

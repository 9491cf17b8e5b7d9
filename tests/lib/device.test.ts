import { describe, expect, it } from "vitest";
import { deviceClass, deviceLabel } from "../../worker/lib/device";

// Real User-Agent strings as the browsers and tools send them.
const UA = {
  iphoneSafari: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  ipad: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  androidPhone: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
  androidTablet: "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  chromeMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  firefoxWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
  edgeWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
  firefoxLinux: "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  googlebotSmartphone:
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  headlessChrome: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36",
  curl: "curl/8.5.0",
  pythonRequests: "python-requests/2.31.0",
};

describe("deviceClass and deviceLabel (ua-parser-js)", () => {
  it.each([
    ["iPhone Safari", UA.iphoneSafari, "mobile", "Safari on iOS"],
    ["iPad Safari", UA.ipad, "tablet", "Safari on iOS"],
    ["Android phone", UA.androidPhone, "mobile", "Chrome on Android"],
    // No "Mobile" token: the old regexes called some of these phones and others desktops.
    ["Android tablet", UA.androidTablet, "tablet", "Chrome on Android"],
    ["Chrome on a Mac", UA.chromeMac, "desktop", "Chrome on macOS"],
    ["Firefox on Windows", UA.firefoxWindows, "desktop", "Firefox on Windows"],
    // Edge carries "Chrome/" and "Safari/" too; it must not be read as either.
    ["Edge on Windows", UA.edgeWindows, "desktop", "Edge on Windows"],
    ["Firefox on Linux", UA.firefoxLinux, "desktop", "Firefox on Linux"],
    ["Googlebot", UA.googlebot, "bot", "Googlebot"],
    // A crawler posing as an Android phone is still a crawler.
    ["Googlebot smartphone", UA.googlebotSmartphone, "bot", "Googlebot"],
    ["Headless Chrome", UA.headlessChrome, "bot", "Chrome Headless"],
    ["curl", UA.curl, "bot", "curl"],
    ["python-requests", UA.pythonRequests, "bot", "python-requests"],
  ])("%s", (_name, ua, cls, label) => {
    expect(deviceClass(ua)).toBe(cls);
    expect(deviceLabel(ua)).toBe(label);
  });

  it("no user agent, or one that names nothing, is unknown", () => {
    for (const ua of [undefined, null, "", "   ", "xyz"]) {
      expect(deviceClass(ua)).toBe("unknown");
      expect(deviceLabel(ua)).toBe("Unknown device");
    }
  });
});

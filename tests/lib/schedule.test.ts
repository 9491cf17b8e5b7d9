import { describe, expect, it } from "vitest";
import wranglerToml from "../../wrangler.toml?raw";
import { CRONS, DAILY, DAILY_RUN_HOUR, FREQUENT, nextRunAfter } from "../../worker/lib/schedule";

describe("cron expressions are declared once", () => {
  it("wrangler.toml's triggers are exactly the schedule module's", () => {
    const line = /^crons\s*=\s*\[(.*)\]\s*$/m.exec(wranglerToml)![1]!;
    const crons = [...line.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(crons).toEqual([...CRONS]);
  });

  it("croner reads them: the daily run is at 03:00 UTC, the frequent one every 15 minutes", () => {
    expect(DAILY_RUN_HOUR).toBe(3);
    expect(new Date(nextRunAfter(DAILY, Date.UTC(2028, 1, 29, 3, 0))).toISOString()).toBe("2028-03-01T03:00:00.000Z");
    expect(new Date(nextRunAfter(FREQUENT, Date.UTC(2027, 0, 1, 10, 7))).toISOString()).toBe("2027-01-01T10:15:00.000Z");
  });
});

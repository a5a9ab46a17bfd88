import { describe, expect, it } from "vitest";
import type { LeadPage } from "../../api/models";
import { PageCache, PREFETCH_TTL_MS } from "./prefetch";

const page = (n: number): LeadPage => ({
  items: [],
  total: 100,
  total_is_lower_bound: false,
  page: n,
  page_size: 50,
  next_cursor: null,
});

describe("PageCache", () => {
  it("hands a prefetched page out once, while it is fresh", async () => {
    let now = 1000;
    const c = new PageCache(() => now);
    c.put("a", Promise.resolve(page(2)));
    await expect(c.get("a")).resolves.toMatchObject({ page: 2 });
    expect(c.get("a")).toBeUndefined();
    c.put("b", Promise.resolve(page(3)));
    now += PREFETCH_TTL_MS + 1;
    expect(c.get("b")).toBeUndefined();
  });

  it("forgets a failed prefetch and everything on clear", async () => {
    const c = new PageCache();
    const failing = Promise.reject(new Error("offline"));
    c.put("a", failing);
    await failing.catch(() => {});
    await Promise.resolve();
    expect(c.get("a")).toBeUndefined();
    c.put("b", Promise.resolve(page(2)));
    c.clear();
    expect(c.get("b")).toBeUndefined();
  });

  it("keeps at most four pages", () => {
    const c = new PageCache();
    for (const k of ["a", "b", "c", "d", "e"]) c.put(k, Promise.resolve(page(1)));
    expect(c.get("a")).toBeUndefined();
    expect(c.get("e")).toBeDefined();
  });
});

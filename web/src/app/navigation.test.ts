import { describe, expect, it } from "vitest";
import { NAV, visibleNav } from "./navigation";

const labels = (perms: string[]) => visibleNav(perms).map((e) => e.label);

describe("navigation", () => {
  it("shows a viewer the read-only pages and no admin", () => {
    expect(labels(["lead:read", "template:read", "campaign:read", "analytics:read"])).toEqual([
      "Dashboard",
      "Leads",
      "Templates",
      "Campaigns",
      "Analytics",
      "Settings",
    ]);
  });

  it("shows Admin to anyone holding one admin permission", () => {
    expect(labels(["audit:read"])).toContain("Admin");
    expect(labels(["system:read"])).toContain("Admin");
    expect(labels(["lead:write"])).not.toContain("Admin");
  });

  it("hides pages whose API has not landed, whatever the permissions", () => {
    const all = NAV.flatMap((e) => e.anyOf);
    expect(labels(all)).toEqual([
      "Dashboard",
      "Leads",
      "Templates",
      "Campaigns",
      "Analytics",
      "AI Assistant",
      "Settings",
      "Admin",
    ]);
    expect(labels(["ai:use"])).toContain("AI Assistant");
    expect(labels(["lead:read"])).not.toContain("AI Assistant");
    expect(labels(["lead:read"])).not.toContain("Analytics");
    expect(labels(["lead:read"])).not.toContain("Campaigns");
    expect(labels(["lead:read"])).not.toContain("Templates");
    const withAnalytics = NAV.map((e) => (e.to === "/analytics" ? { ...e, available: true } : e));
    expect(visibleNav(all, withAnalytics).map((e) => e.label)).toContain("Analytics");
    expect(visibleNav(["lead:read"], withAnalytics).map((e) => e.label)).not.toContain("Analytics");
  });
});

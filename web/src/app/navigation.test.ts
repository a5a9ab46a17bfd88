import { describe, expect, it } from "vitest";
import { NAV, visibleNav } from "./navigation";

const labels = (perms: string[]) => visibleNav(perms).map((e) => e.label);

describe("navigation", () => {
  it("shows a viewer the read-only pages and no admin", () => {
    expect(labels(["lead:read", "template:read", "campaign:read", "analytics:read"])).toEqual([
      "Dashboard",
      "Leads",
      "Templates",
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
    expect(labels(all)).toEqual(["Dashboard", "Leads", "Templates", "Settings", "Admin"]);
    const withCampaigns = NAV.map((e) => (e.to === "/campaigns" ? { ...e, available: true } : e));
    expect(visibleNav(all, withCampaigns).map((e) => e.label)).toContain("Campaigns");
    expect(visibleNav(["lead:read"], withCampaigns).map((e) => e.label)).not.toContain("Campaigns");
  });
});

import { allowed } from "../auth/permissions";

export type IconName = "home" | "users" | "template" | "send" | "chart" | "sparkles" | "settings" | "shield";

export interface NavEntry {
  to: string;
  label: string;
  icon: IconName;
  /** Shown when the user holds any of these (empty: every signed-in user). */
  anyOf: string[];
  /**
   * False until the page and its API exist. Templates, campaigns, analytics and the assistant
   * arrive with their own API; flipping this (and adding the route in App.tsx) is all the
   * navigation needs.
   */
  available: boolean;
}

export const NAV: NavEntry[] = [
  { to: "/dashboard", label: "Dashboard", icon: "home", anyOf: [], available: true },
  { to: "/leads", label: "Leads", icon: "users", anyOf: ["lead:read"], available: true },
  { to: "/templates", label: "Templates", icon: "template", anyOf: ["template:read"], available: true },
  { to: "/campaigns", label: "Campaigns", icon: "send", anyOf: ["campaign:read"], available: true },
  { to: "/analytics", label: "Analytics", icon: "chart", anyOf: ["analytics:read"], available: true },
  { to: "/assistant", label: "AI Assistant", icon: "sparkles", anyOf: ["ai:use"], available: true },
  { to: "/settings", label: "Settings", icon: "settings", anyOf: [], available: true },
  {
    to: "/admin",
    label: "Admin",
    icon: "shield",
    anyOf: ["system:read", "audit:read", "user:manage", "role:manage"],
    available: true,
  },
];

export function visibleNav(permissions: ReadonlySet<string> | readonly string[], entries: NavEntry[] = NAV) {
  return entries.filter((e) => e.available && allowed(permissions, { anyOf: e.anyOf }));
}

/** Admin sub-pages, each behind its permission. */
export const ADMIN_NAV = [
  { to: "/admin", label: "Overview", anyOf: ["system:read", "audit:read"], end: true },
  { to: "/admin/users", label: "Users", anyOf: ["user:manage"], end: false },
  { to: "/admin/roles", label: "Roles", anyOf: ["role:manage"], end: false },
  { to: "/admin/audit", label: "Audit log", anyOf: ["audit:read"], end: false },
  { to: "/admin/outbox", label: "Outbox", anyOf: ["system:read"], end: false },
];

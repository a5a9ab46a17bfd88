import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppRoutes } from "../../App";
import { api } from "../../api/client";
import { AuthProvider } from "../../auth/AuthContext";
import { fakeFetch, json } from "../../test/fakeServer";

const lead = {
  id: 1,
  email: "ann@example.com",
  first_name: "Ann",
  last_name: "Lee",
  company: "Acme",
  title: "",
  phone: "",
  website: "",
  country: "DE",
  timezone: "",
  status: "new",
  score: 5,
  owner_id: null,
  tags: [],
  custom_fields: {},
  source: "",
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  last_contacted_at: null,
  last_activity_at: null,
};

function serverFor(role: string, permissions: string[]) {
  return fakeFetch({
    "GET /api/auth/me": () =>
      json(200, {
        id: 2,
        email: "u@example.com",
        name: "U",
        role,
        active: true,
        created_at: "",
        updated_at: "",
        last_login_at: null,
        permissions,
      }),
    "GET /api/leads": () => json(200, { items: [lead], total: 1, page: 1, page_size: 50, next_cursor: null }),
    "GET /api/segments": () => json(200, { items: [], total: 0, page: 1, page_size: 200 }),
  });
}

async function renderLeadsAs(role: string, permissions: string[]) {
  const server = serverFor(role, permissions);
  vi.stubGlobal("fetch", server.fetch);
  api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
  render(
    <AuthProvider>
      <MemoryRouter initialEntries={["/leads"]}>
        <AppRoutes />
      </MemoryRouter>
    </AuthProvider>,
  );
  await screen.findByText("ann@example.com");
  return server;
}

afterEach(() => {
  vi.unstubAllGlobals();
  api.clear();
});

describe("permission gating on the leads page", () => {
  it("a viewer sees the leads but no create, import, export, bulk or admin entry", async () => {
    await renderLeadsAs("viewer", ["lead:read", "template:read", "campaign:read", "analytics:read"]);
    for (const name of ["New lead", "Import CSV", "Export CSV", "Save as segment"]) {
      expect(screen.queryByRole("button", { name })).toBeNull();
      expect(screen.queryByRole("link", { name })).toBeNull();
    }
    expect(screen.queryByRole("checkbox", { name: /Select/ })).toBeNull();
    const nav = screen.getAllByRole("navigation", { name: "Main" })[0];
    expect(within(nav).queryByRole("link", { name: "Admin" })).toBeNull();
    expect(within(nav).getByRole("link", { name: "Leads" })).toBeInTheDocument();
  });

  it("a member can create, import, export and select leads", async () => {
    await renderLeadsAs("member", ["lead:read", "lead:write", "lead:import", "lead:export"]);
    expect(screen.getByRole("button", { name: "New lead" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Import CSV" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "Select ann@example.com" })).toBeInTheDocument();
  });

  it("a user without lead:read is told the page is not for their role, and the list is never requested", async () => {
    const server = fakeFetch({
      "GET /api/auth/me": () =>
        json(200, {
          id: 3,
          email: "x@example.com",
          name: "",
          role: "custom",
          active: true,
          created_at: "",
          updated_at: "",
          last_login_at: null,
          permissions: ["audit:read"],
        }),
    });
    vi.stubGlobal("fetch", server.fetch);
    api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
    render(
      <AuthProvider>
        <MemoryRouter initialEntries={["/leads"]}>
          <AppRoutes />
        </MemoryRouter>
      </AuthProvider>,
    );
    expect(await screen.findByText("Not available to your role")).toBeInTheDocument();
    expect(server.calls.some((c) => c.path.startsWith("/api/leads"))).toBe(false);
  });
});

describe("a total the server stopped counting", () => {
  it("reads 10,000+ and keeps Next open while the pages are full", async () => {
    const items = Array.from({ length: 50 }, (_, i) => ({
      ...lead,
      id: 1000 - i,
      email: `l${i}@example.com`,
    }));
    const server = fakeFetch({
      "GET /api/auth/me": () =>
        json(200, {
          id: 2,
          email: "u@example.com",
          name: "U",
          role: "viewer",
          active: true,
          created_at: "",
          updated_at: "",
          last_login_at: null,
          permissions: ["lead:read"],
        }),
      "GET /api/leads": () =>
        json(200, {
          items,
          total: 10000,
          total_is_lower_bound: true,
          page: 1,
          page_size: 50,
          next_cursor: 951,
        }),
      "GET /api/segments": () => json(200, { items: [], total: 0, page: 1, page_size: 200 }),
    });
    vi.stubGlobal("fetch", server.fetch);
    api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
    render(
      <AuthProvider>
        <MemoryRouter initialEntries={["/leads?q=acme"]}>
          <AppRoutes />
        </MemoryRouter>
      </AuthProvider>,
    );
    await screen.findByText("l0@example.com");
    expect(screen.getByTestId("leads-total")).toHaveTextContent("10,000+ leads match");
    expect(screen.getByTestId("page-indicator")).toHaveTextContent("Page 1 of 200+");
    expect(screen.getByRole("button", { name: "Next" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Last" })).toBeDisabled();
  });
});

import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../api/client";
import { fakeFetch, json } from "../test/fakeServer";
import { AuthProvider, Can, useAuth } from "./AuthContext";

function Probe() {
  const { status, user } = useAuth();
  return (
    <p>
      {status}:{user?.email ?? "-"}
      <Can perm="lead:write">
        <button type="button">New lead</button>
      </Can>
    </p>
  );
}

const me = (permissions: string[]) => ({
  id: 1,
  email: "ann@example.com",
  name: "Ann",
  role: "member",
  active: true,
  created_at: "",
  updated_at: "",
  last_login_at: null,
  permissions,
});

afterEach(() => {
  vi.unstubAllGlobals();
  api.clear();
});

describe("AuthProvider", () => {
  it("draws at once from the cached profile, then takes the permissions /me answers", async () => {
    let answer: (r: Response) => void = () => {};
    const server = fakeFetch({ "GET /api/auth/me": () => new Promise<Response>((r) => (answer = r)) });
    vi.stubGlobal("fetch", server.fetch);
    api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
    localStorage.setItem("herald.me", JSON.stringify(me(["lead:read", "lead:write"])));
    render(
      <AuthProvider>
        <Probe />
      </AuthProvider>,
    );
    expect(screen.getByText(/signed_in:ann@example.com/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "New lead" })).toBeInTheDocument();
    // The role lost lead:write meanwhile.
    await vi.waitFor(() => expect(server.calls.map((c) => c.path)).toEqual(["/api/auth/me"]), {
      timeout: 10000,
    });
    answer(json(200, me(["lead:read"])));
    await vi.waitFor(() => expect(screen.queryByRole("button", { name: "New lead" })).toBeNull(), {
      timeout: 10000,
    });
  });

  it("signs out when /me says the session has ended, whatever was cached", async () => {
    vi.stubGlobal(
      "fetch",
      fakeFetch({
        "GET /api/auth/me": () =>
          json(401, { type: "x", title: "Unauthorized", status: 401, detail: "the session has ended" }),
        "POST /api/auth/refresh": () =>
          json(401, { type: "x", title: "Unauthorized", status: 401, detail: "the session has ended" }),
      }).fetch,
    );
    api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
    localStorage.setItem("herald.me", JSON.stringify(me(["lead:read"])));
    render(
      <AuthProvider>
        <Probe />
      </AuthProvider>,
    );
    expect(await screen.findByText(/signed_out:-/)).toBeInTheDocument();
    expect(localStorage.getItem("herald.me")).toBeNull();
    expect(api.current).toBeNull();
  });
});

// Renders the whole app at a path for a user with the given permissions, against a fake server.
import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { vi } from "vitest";
import { AppRoutes } from "../App";
import { api } from "../api/client";
import { AuthProvider } from "../auth/AuthContext";
import { ToastProvider } from "../components/ui/Toast";
import { fakeFetch, json, type Handler } from "./fakeServer";

export function renderAppAt(path: string, permissions: string[], routes: Record<string, Handler>) {
  const server = fakeFetch({
    "GET /api/auth/me": () =>
      json(200, {
        id: 2,
        email: "u@example.com",
        name: "U",
        role: "custom",
        active: true,
        created_at: "",
        updated_at: "",
        last_login_at: null,
        permissions,
      }),
    ...routes,
  });
  vi.stubGlobal("fetch", server.fetch);
  api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
  render(
    <AuthProvider>
      <ToastProvider>
        <MemoryRouter initialEntries={[path]}>
          <AppRoutes />
        </MemoryRouter>
      </ToastProvider>
    </AuthProvider>,
  );
  return server;
}

import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { AuthProvider } from "../../auth/AuthContext";
import { fakeFetch, json } from "../../test/fakeServer";
import { SignInPage } from "./SignInPage";

function renderSignIn() {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={["/signin?next=/leads"]}>
        <Routes>
          <Route path="/signin" element={<SignInPage />} />
          <Route path="/leads" element={<p>leads page</p>} />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}

async function submit(email = "ann@example.com", password = "secret-pass") {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  api.clear();
});

describe("SignInPage", () => {
  it("shows the server's message for a wrong password", async () => {
    vi.stubGlobal(
      "fetch",
      fakeFetch({
        "POST /api/auth/login": () =>
          json(401, { type: "x", title: "Unauthorized", status: 401, detail: "invalid email or password" }),
      }).fetch,
    );
    renderSignIn();
    await submit();
    expect(await screen.findByRole("alert")).toHaveTextContent("invalid email or password");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("locks the form with a countdown when sign-in is rate limited", async () => {
    vi.stubGlobal(
      "fetch",
      fakeFetch({
        "POST /api/auth/login": () =>
          json(
            429,
            {
              type: "x",
              title: "Too Many Requests",
              status: 429,
              detail: "too many login attempts; retry in 37 s",
            },
            { "Retry-After": "37" },
          ),
      }).fetch,
    );
    renderSignIn();
    await submit();
    expect(await screen.findByText(/Too many sign-in attempts/)).toHaveTextContent("37 s");
    expect(screen.getByRole("button", { name: /Try again in 3\d s/ })).toBeDisabled();
  });

  it("says which field is missing without calling the server", async () => {
    const server = fakeFetch({});
    vi.stubGlobal("fetch", server.fetch);
    renderSignIn();
    await userEvent.setup().click(screen.getByRole("button", { name: "Sign in" }));
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("Enter your email address.");
    expect(server.calls).toHaveLength(0);
  });

  it("signs in, keeps the tokens and goes where the user was headed", async () => {
    vi.stubGlobal(
      "fetch",
      fakeFetch({
        "POST /api/auth/login": () =>
          json(200, {
            token: "t1",
            refresh_token: "r1",
            expires_in: 900,
            token_type: "Bearer",
            user: {
              id: 1,
              email: "ann@example.com",
              name: "Ann",
              role: "viewer",
              active: true,
              created_at: "",
              updated_at: "",
              last_login_at: null,
            },
            permissions: ["lead:read"],
          }),
      }).fetch,
    );
    renderSignIn();
    await submit();
    expect(await screen.findByText("leads page")).toBeInTheDocument();
    expect(api.current?.refresh_token).toBe("r1");
  });
});

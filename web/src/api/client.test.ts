import { describe, expect, it } from "vitest";
import { fakeFetch, json, memoryStorage } from "../test/fakeServer";
import { ApiClient, buildUrl } from "./client";
import { ApiError } from "./errors";

const tokens = (n: number) => ({ token: `access-${n}`, refresh_token: `refresh-${n}`, expires_in: 900 });

/** A server that rotates refresh tokens and revokes the session when one is used twice. */
function rotatingServer(delayMs = 5) {
  let current = 1;
  let revoked = false;
  const used = new Set<string>();
  const server = fakeFetch({
    "POST /api/auth/refresh": async ({ body }) => {
      await new Promise((r) => setTimeout(r, delayMs));
      const t = (body as { refresh_token: string }).refresh_token;
      if (used.has(t)) {
        revoked = true;
        return json(401, {
          type: "x",
          title: "Unauthorized",
          status: 401,
          detail: "refresh token already used; the session has been revoked",
        });
      }
      used.add(t);
      if (revoked || t !== `refresh-${current}`)
        return json(401, { type: "x", title: "Unauthorized", status: 401, detail: "invalid refresh token" });
      current += 1;
      return json(200, tokens(current));
    },
    "GET /api/auth/me": ({ headers }) =>
      headers.get("Authorization") === `Bearer access-${current}` && !revoked
        ? json(200, { id: 1, email: "a@example.com" })
        : json(401, { type: "x", title: "Unauthorized", status: 401, detail: "token expired" }),
  });
  return {
    server,
    refreshes: () => server.calls.filter((c) => c.path === "/api/auth/refresh").length,
    revoked: () => revoked,
  };
}

describe("ApiClient", () => {
  it("builds URLs with encoded path parameters and without empty query values", () => {
    expect(
      buildUrl(
        "/api/leads/{id}",
        { id: "a/b" },
        { q: "x y", status: ["new", "replied"], tag: "", page: 2, none: null },
      ),
    ).toBe("/api/leads/a%2Fb?q=x+y&status=new%2Creplied&page=2");
  });

  it("refreshes once for many concurrent 401s and retries each call with the new token", async () => {
    const { server, refreshes, revoked } = rotatingServer();
    const client = new ApiClient({ fetch: server.fetch, storage: memoryStorage() });
    client.adopt({ token: "stale", refresh_token: "refresh-1", expires_in: 900 });
    const results = await Promise.all(Array.from({ length: 8 }, () => client.get("/api/auth/me")));
    expect(results).toHaveLength(8);
    expect(refreshes()).toBe(1);
    expect(revoked()).toBe(false);
    expect(client.current?.refresh_token).toBe("refresh-2");
  });

  it("refreshes before sending when the access token is about to expire, once for parallel calls", async () => {
    const { server, refreshes } = rotatingServer();
    const client = new ApiClient({ fetch: server.fetch, storage: memoryStorage() });
    client.adopt({ token: "access-1", refresh_token: "refresh-1", expires_in: 10 }); // inside the 30 s margin
    await Promise.all([client.get("/api/auth/me"), client.get("/api/auth/me"), client.get("/api/auth/me")]);
    expect(refreshes()).toBe(1);
    expect(
      server.calls.filter((c) => c.path === "/api/auth/me").every((c) => c.auth === "Bearer access-2"),
    ).toBe(true);
  });

  it("adopts tokens another tab stored instead of spending the old refresh token again", async () => {
    const storage = memoryStorage();
    const { server, refreshes } = rotatingServer();
    const client = new ApiClient({ fetch: server.fetch, storage });
    client.adopt({ token: "stale", refresh_token: "refresh-1", expires_in: 900 });
    // The other tab refreshed: storage now holds the next pair (the server rotated to 2 as well).
    await server.fetch("/api/auth/refresh", {
      method: "POST",
      body: JSON.stringify({ refresh_token: "refresh-1" }),
    });
    storage.setItem(
      "herald.session",
      JSON.stringify({ token: "access-2", refresh_token: "refresh-2", expires_at: Date.now() + 900_000 }),
    );
    await client.get("/api/auth/me");
    expect(refreshes()).toBe(1); // only the other tab's
    expect(client.current?.token).toBe("access-2");
  });

  it("signs out with the reason when the server revoked the session", async () => {
    const server = fakeFetch({
      "GET /api/leads": () =>
        json(401, { type: "x", title: "Unauthorized", status: 401, detail: "the session has ended" }),
      "POST /api/auth/refresh": () =>
        json(401, {
          type: "x",
          title: "Unauthorized",
          status: 401,
          detail: "refresh token already used; the session has been revoked",
        }),
    });
    const client = new ApiClient({ fetch: server.fetch, storage: memoryStorage() });
    const reasons: (string | undefined)[] = [];
    client.subscribe((s, reason) => !s && reasons.push(reason));
    client.adopt(tokens(1));
    await expect(client.get("/api/leads")).rejects.toMatchObject({ status: 401 });
    expect(client.current).toBeNull();
    expect(reasons).toEqual(["revoked"]);
  });

  it("throws ApiError with field errors for a refused body, and keeps the session", async () => {
    const server = fakeFetch({
      "POST /api/leads": () =>
        json(422, {
          type: "x",
          title: "Validation failed",
          status: 422,
          detail: "",
          errors: [{ field: "email", message: "is required" }],
        }),
    });
    const client = new ApiClient({ fetch: server.fetch, storage: memoryStorage() });
    client.adopt(tokens(1));
    const err = await client.post("/api/leads", { body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.fieldErrors).toEqual({ email: "is required" });
    expect(client.current).not.toBeNull();
    expect(server.calls[0].auth).toBe("Bearer access-1");
  });

  it("treats a 503 health report as an answer when asked to", async () => {
    const server = fakeFetch({ "GET /api/health/detailed": () => json(503, { status: "unhealthy" }) });
    const client = new ApiClient({ fetch: server.fetch, storage: memoryStorage() });
    client.adopt(tokens(1));
    await expect(client.get("/api/health/detailed", { acceptStatus: [503] })).resolves.toEqual({
      status: "unhealthy",
    });
    await expect(client.get("/api/health/detailed")).rejects.toBeInstanceOf(ApiError);
  });
});

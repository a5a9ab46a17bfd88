import { describe, expect, it } from "vitest";
import { ApiError, errorFromResponse, networkError, unplacedFieldErrors } from "./errors";

describe("errorFromResponse", () => {
  it("maps a validation problem's field errors by field name", async () => {
    const r = new Response(
      JSON.stringify({
        type: "urn:herald:problem:validation",
        title: "Validation failed",
        status: 422,
        detail: "2 fields are invalid",
        errors: [
          { field: "email", message: "is not a valid email address" },
          { field: "score", message: "must be a whole number from 0 to 100" },
          { field: "email", message: "is too long" },
        ],
      }),
      { status: 422, headers: { "Content-Type": "application/problem+json", "X-Request-ID": "abc" } },
    );
    const e = await errorFromResponse(r);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.fieldErrors).toEqual({
      email: "is not a valid email address; is too long",
      score: "must be a whole number from 0 to 100",
    });
    expect(e.requestId).toBe("abc");
    expect(unplacedFieldErrors(e, ["email"])).toEqual([
      { field: "score", message: "must be a whole number from 0 to 100" },
    ]);
  });

  it("reads Retry-After and says how long to wait", async () => {
    const r = new Response(
      JSON.stringify({ type: "x", title: "Too Many Requests", status: 429, detail: "" }),
      {
        status: 429,
        headers: { "Content-Type": "application/problem+json", "Retry-After": "42" },
      },
    );
    const e = await errorFromResponse(r);
    expect(e.retryAfter).toBe(42);
    expect(e.userMessage).toMatch(/42 s/);
  });

  it("turns a proxy's HTML error page into a readable error with the request id", async () => {
    const r = new Response("<html>Bad gateway</html>", {
      status: 502,
      statusText: "Bad Gateway",
      headers: { "Content-Type": "text/html", "X-Request-ID": "r1" },
    });
    const e = await errorFromResponse(r);
    expect(e.status).toBe(502);
    expect(e.title).toBe("Bad Gateway");
    expect(e.fieldErrors).toEqual({});
    expect(e.userMessage).toContain("r1");
  });

  it("survives a body that claims JSON but is not", async () => {
    const r = new Response("{oops", { status: 400, headers: { "Content-Type": "application/json" } });
    const e = await errorFromResponse(r);
    expect(e.status).toBe(400);
  });

  it("a network failure has status 0 and says the server cannot be reached", () => {
    const e = networkError(new TypeError("Failed to fetch"));
    expect(e.isNetwork).toBe(true);
    expect(e.userMessage).toMatch(/Cannot reach/);
  });
});

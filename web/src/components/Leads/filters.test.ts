import { describe, expect, it } from "vitest";
import {
  emptyFilters,
  filtersFromObject,
  filtersFromParams,
  filtersToObject,
  filtersToQuery,
  MAX_OFFSET,
  nextSort,
  pageFromParams,
  pageRequest,
  toSearchParams,
  validateFilters,
} from "./filters";

describe("lead filters", () => {
  it("round-trips through the URL, custom fields included", () => {
    const f = {
      ...emptyFilters(),
      q: "acme",
      status: ["new", "replied"],
      tag: ["vip"],
      created_from: "2026-01-01",
      custom: [{ key: "industry", value: "saas" }],
    };
    const sp = toSearchParams(f, { sort: "-id", page: 1, pageSize: 50, cursor: "" });
    expect(sp.toString()).toBe(
      "q=acme&created_from=2026-01-01&status=new%2Creplied&tag=vip&cf.industry=saas",
    );
    expect(filtersFromParams(sp)).toEqual(f);
  });

  it("sends only set keys to the API", () => {
    expect(filtersToQuery({ ...emptyFilters(), country: ["DE", "FR"], score_min: " 10 " })).toEqual({
      country: "DE,FR",
      score_min: "10",
    });
    expect(filtersToQuery(emptyFilters())).toEqual({});
  });

  it("stores a segment's filter as the API reads it, and reads it back", () => {
    const f = { ...emptyFilters(), status: ["new"], tag: ["a", "b"], segment_id: "4" };
    expect(filtersToObject(f)).toEqual({ status: "new", tag: ["a", "b"] });
    expect(filtersToObject(f, true)).toEqual({ status: "new", tag: ["a", "b"], segment_id: "4" });
    expect(filtersFromObject({ status: "new", tag: ["a", "b"] })).toEqual({
      ...emptyFilters(),
      status: ["new"],
      tag: ["a", "b"],
    });
  });

  it("catches what the server would refuse, keyed by the API's field names", () => {
    expect(validateFilters({ ...emptyFilters(), score_min: "101", score_max: "x" })).toEqual({
      score_min: "must be a whole number from 0 to 100",
      score_max: "must be a whole number from 0 to 100",
    });
    expect(validateFilters({ ...emptyFilters(), score_min: "50", score_max: "10" })).toHaveProperty(
      "score_max",
    );
    expect(
      validateFilters({ ...emptyFilters(), created_from: "2026-02-01", created_to: "2026-01-01" }),
    ).toHaveProperty("created_to");
    expect(validateFilters({ ...emptyFilters(), owner_id: "none" })).toEqual({});
    expect(validateFilters({ ...emptyFilters(), custom: [{ key: "bad key", value: "x" }] })).toHaveProperty([
      "cf.bad key",
    ]);
  });
});

describe("paging", () => {
  const state = { sort: "-id", page: 3, pageSize: 200, cursor: "" };

  it("goes by offset while the server allows it", () => {
    expect(pageRequest(2, state, new Map())).toEqual({ page: 2, cursor: "" });
    const last = MAX_OFFSET / 200 + 1;
    expect(pageRequest(last, state, new Map())).toEqual({ page: last, cursor: "" });
  });

  it("goes by a remembered cursor past the offset limit, in id order only", () => {
    const deep = MAX_OFFSET / 200 + 2;
    expect(pageRequest(deep, state, new Map())).toBeNull();
    expect(pageRequest(deep, state, new Map([[deep, "12345"]]))).toEqual({ page: deep, cursor: "12345" });
    expect(pageRequest(deep, { ...state, sort: "email" }, new Map([[deep, "12345"]]))).toBeNull();
    expect(pageRequest(1, state, new Map())).toEqual({ page: 1, cursor: "" });
    expect(pageRequest(0, state, new Map())).toBeNull();
  });

  it("reads bad URL values as defaults", () => {
    expect(pageFromParams(new URLSearchParams("page=-4&page_size=7"))).toEqual({
      sort: "-id",
      page: 1,
      pageSize: 50,
      cursor: "",
    });
  });

  it("toggles a column between ascending and descending", () => {
    expect(nextSort("-id", "email")).toBe("email");
    expect(nextSort("email", "email")).toBe("-email");
    expect(nextSort("-email", "email")).toBe("email");
  });
});

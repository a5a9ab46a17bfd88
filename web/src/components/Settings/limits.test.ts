import { describe, expect, it } from "vitest";
import { rowErrors, toLimits, toRows } from "./limits";

describe("domain limit rows", () => {
  it("round-trips and drops blank rows", () => {
    const rows = [...toRows([{ domain: "gmail.com", per_minute: 60 }]), { domain: "", per_minute: "" }];
    expect(toLimits(rows)).toEqual({ limits: [{ domain: "gmail.com", per_minute: 60 }], index: [0] });
  });

  it("sends a bad count as typed so the server names it", () => {
    expect(toLimits([{ domain: " yahoo.com ", per_minute: "ten" }]).limits).toEqual([
      { domain: "yahoo.com", per_minute: "ten" },
    ]);
  });

  it("maps the server's field errors back to the rows", () => {
    const { index } = toLimits([
      { domain: "", per_minute: "" },
      { domain: "a.com", per_minute: "1" },
      { domain: "a.com", per_minute: "0" },
    ]);
    expect(
      rowErrors(
        {
          "domain_limits[1].domain": "appears twice",
          "domain_limits[1].per_minute": "must be an integer from 1 to 1000000",
          "sender.from_email": "x",
        },
        index,
      ),
    ).toEqual({ 2: { domain: "appears twice", per_minute: "must be an integer from 1 to 1000000" } });
  });
});

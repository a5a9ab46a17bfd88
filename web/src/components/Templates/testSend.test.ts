import { describe, expect, it } from "vitest";
import { addressError, parseAddresses } from "./testSend";

describe("test send addresses", () => {
  it("splits on commas, semicolons and white space", () => {
    expect(parseAddresses(" a@x.org, b@x.org;c@x.org\nd@x.org ")).toEqual([
      "a@x.org",
      "b@x.org",
      "c@x.org",
      "d@x.org",
    ]);
    expect(parseAddresses("  ")).toEqual([]);
  });

  it("names each bad address as typed, with the list's own error first", () => {
    expect(addressError({}, ["a@x.org"])).toBeUndefined();
    expect(addressError({ lead_id: "no lead 4" }, ["a@x.org"])).toBeUndefined();
    expect(
      addressError({ "emails[0]": "is not a valid email address", "emails[2]": "must be a string" }, [
        "nope",
        "a@x.org",
        "x",
      ]),
    ).toBe("nope: is not a valid email address; x: must be a string");
    expect(addressError({ emails: "must be a list of 1 to 10 addresses" }, [])).toBe(
      "must be a list of 1 to 10 addresses",
    );
  });
});

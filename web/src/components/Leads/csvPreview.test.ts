import { describe, expect, it } from "vitest";
import { customKey, detectDelimiter, mappingParam, parseCsvPreview } from "./csvPreview";

describe("CSV preview", () => {
  it("detects the delimiter from the header row, ignoring quoted ones", () => {
    expect(detectDelimiter("email;name;company")).toBe(";");
    expect(detectDelimiter('email\t"a,b"\tc')).toBe("\t");
    expect(detectDelimiter("a|b|c")).toBe("|");
    expect(detectDelimiter("email")).toBe(",");
  });

  it("reads quoted fields with delimiters, quotes and line breaks, a BOM and CRLF", () => {
    const text =
      '\uFEFFE-mail,Company Name,Note\r\nann@example.com,"Wonka, Inc.","said ""hi""\r\nthen left"\r\nbob@example.com,Acme,\r\n';
    const p = parseCsvPreview(text);
    expect(p.header).toEqual(["E-mail", "Company Name", "Note"]);
    expect(p.rows).toEqual([
      ["ann@example.com", "Wonka, Inc.", 'said "hi"\r\nthen left'],
      ["bob@example.com", "Acme", ""],
    ]);
  });

  it("leaves a record cut by the preview's byte limit out", () => {
    const p = parseCsvPreview("email,name\na@example.com,Ann\nb@exa", 5, false);
    expect(parseCsvPreview("email,name\na@example.com,Ann\nb@exa").rows).toHaveLength(2);
    expect(p.rows).toEqual([["a@example.com", "Ann"]]);
  });

  it("builds the mapping option from the columns the user changed only", () => {
    expect(
      mappingParam({ "E-mail": "auto", Firma: "company", "Lead Source!": "custom", Junk: "ignore" }),
    ).toBe(JSON.stringify({ Firma: "company", "Lead Source!": "cf.lead_source", Junk: "ignore" }));
    expect(mappingParam({ a: "auto" })).toBe("");
    expect(customKey("  ")).toBe("field");
  });
});

import { describe, expect, it } from "vitest";
import {
  completeTag,
  customVariables,
  insertAt,
  matchVariables,
  offsetOf,
  positionOf,
  STANDARD_VARIABLES,
  tagAtCaret,
} from "./variables";

describe("template variables", () => {
  it("lists the standard variables with tags as a section", () => {
    const names = STANDARD_VARIABLES.map((v) => v.name);
    expect(names).toContain("first_name");
    expect(names).toContain("unsubscribe_url");
    expect(STANDARD_VARIABLES.find((v) => v.name === "tags")?.snippet).toBe("{{#tags}}{{.}} {{/tags}}");
  });

  it("collects custom fields from leads, skipping names templates cannot use", () => {
    const vars = customVariables([
      { custom_fields: { plan: "Pro", "bad-key": 1 } },
      { custom_fields: { industry: "x", plan: "y" } },
      {},
    ]);
    expect(vars.map((v) => v.snippet)).toEqual(["{{custom.industry}}", "{{custom.plan}}"]);
  });

  it("inserts at the caret or over a selection", () => {
    expect(insertAt("Hi !", 3, 3, "{{first_name}}")).toEqual({ text: "Hi {{first_name}}!", caret: 17 });
    expect(insertAt("Hi XX!", 3, 5, "{{x}}")).toEqual({ text: "Hi {{x}}!", caret: 8 });
    expect(insertAt("ab", 10, 12, "c")).toEqual({ text: "abc", caret: 3 });
  });

  it("finds the position a server error names", () => {
    expect(positionOf("line 2, column 3: unknown variable frist_name")).toEqual({ line: 2, column: 3 });
    expect(positionOf("is required")).toBeNull();
    const text = "<p>\n  {{frist_name}}</p>";
    expect(text.slice(offsetOf(text, 2, 3))).toBe("{{frist_name}}</p>");
    expect(offsetOf("é{{x}}", 1, 2)).toBe(1);
    expect(offsetOf("a", 5, 1)).toBe(1);
  });

  it("finds the tag being typed at the caret, and nothing once it is closed or is a section", () => {
    expect(tagAtCaret("Hi {{fir", 8)).toEqual({ start: 3, query: "fir" });
    expect(tagAtCaret("Hi {{ custom.pl", 15)).toEqual({ start: 3, query: "custom.pl" });
    expect(tagAtCaret("Hi {{", 5)).toEqual({ start: 3, query: "" });
    expect(tagAtCaret("Hi {{first_name}} x", 19)).toBeNull();
    expect(tagAtCaret("Hi {{first_name}}", 17)).toBeNull();
    expect(tagAtCaret("{{#tags", 7)).toBeNull();
    expect(tagAtCaret("{{/tags", 7)).toBeNull();
    expect(tagAtCaret("Hi {fir", 7)).toBeNull();
    expect(tagAtCaret("{{first name", 12)).toBeNull();
    // Only the text before the caret counts.
    expect(tagAtCaret("{{fir}} and more", 5)).toEqual({ start: 0, query: "fir" });
  });

  it("matches names that start with the query first, then names containing it", () => {
    const names = (q: string) => matchVariables(STANDARD_VARIABLES, q, 20).map((v) => v.name);
    expect(names("fir")).toEqual(["first_name"]);
    expect(names("NAME")).toEqual(["first_name", "last_name", "campaign_name", "from_name"]);
    expect(names("zzz")).toEqual([]);
    expect(matchVariables(STANDARD_VARIABLES, "", 8)).toHaveLength(8);
  });

  it("completes a tag in place, taking in a closing pair already typed", () => {
    const first = STANDARD_VARIABLES.find((v) => v.name === "first_name")!;
    expect(completeTag("Hi {{fir, bye", 3, 8, first)).toEqual({ text: "Hi {{first_name}}, bye", caret: 17 });
    expect(completeTag("Hi {{fir}}!", 3, 8, first)).toEqual({ text: "Hi {{first_name}}!", caret: 17 });
    const tags = STANDARD_VARIABLES.find((v) => v.name === "tags")!;
    expect(completeTag("{{ta", 0, 4, tags).text).toBe("{{#tags}}{{.}} {{/tags}}");
  });
});

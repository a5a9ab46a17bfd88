import { describe, expect, it } from "vitest";
import { customVariables, insertAt, offsetOf, positionOf, STANDARD_VARIABLES } from "./variables";

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
});

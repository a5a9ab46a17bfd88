import { describe, expect, it } from "vitest";
import {
  countBySeverity,
  describeReason,
  describeResult,
  jobFinished,
  scoreVerdict,
  sortFindings,
  summariseCounts,
  type Finding,
} from "./advice";

describe("check results", () => {
  it("reads a score as a verdict with a tone", () => {
    expect(scoreVerdict(95)).toEqual({ label: "Good to send", tone: "green" });
    expect(scoreVerdict(80).tone).toBe("green");
    expect(scoreVerdict(79).tone).toBe("amber");
    expect(scoreVerdict(49)).toEqual({ label: "Likely to be filtered", tone: "red" });
  });

  it("puts errors first and keeps the order within a severity", () => {
    const f: Finding[] = [
      { rule: "personalisation", severity: "info", message: "a" },
      { rule: "spam_phrases", severity: "warning", message: "b" },
      { rule: "unsubscribe", severity: "error", message: "c" },
      { rule: "links", severity: "warning", message: "d" },
    ];
    expect(sortFindings(f).map((x) => x.message)).toEqual(["c", "b", "d", "a"]);
    expect(countBySeverity(f)).toEqual({ error: 1, warning: 2, info: 1 });
  });
  it("pluralises the summary", () => {
    expect(summariseCounts({ error: 1, warning: 2, info: 1 })).toBe("1 error · 2 warnings · 1 note");
    expect(summariseCounts({ error: 0, warning: 1, info: 0 })).toBe("0 errors · 1 warning · 0 notes");
  });
});

describe("lead scoring", () => {
  it("polls until the job is over", () => {
    expect(jobFinished({ status: "running" })).toBe(false);
    expect(jobFinished({ status: "retrying" })).toBe(false);
    expect(jobFinished({ status: "completed" })).toBe(true);
    expect(jobFinished({ status: "dead" })).toBe(true);
  });

  it("says which model scored and how well", () => {
    expect(
      describeResult({
        model: "logistic",
        leads_scored: 1200,
        auc: 0.8123,
        rules_auc: 0.61,
        labelled: 800,
        positives: 90,
        reason: "fitted",
      }),
    ).toBe("1,200 leads scored with a model fitted on your history; held-out AUC 0.81 (rules: 0.61).");
    expect(
      describeResult({
        model: "rules",
        leads_scored: 1,
        rules_auc: null,
        labelled: 0,
        positives: 0,
        reason: "too little history",
      }),
    ).toBe("1 lead scored with the rule-based score: too little history.");
  });

  it("words a reason with its sign", () => {
    expect(describeReason({ feature: "seniority_c_level", weight: 30 })).toBe("C-level title +30");
    expect(describeReason({ feature: "opens", weight: -0.456 })).toBe("Opens −0.46");
    expect(describeReason({ feature: "new_thing", weight: 1.5 })).toBe("new thing +1.50");
  });
});

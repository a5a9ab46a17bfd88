// Pure helpers of the built-in tools' views: how a check's score reads, the findings in the
// order they matter, what the lead-scoring job says, and a score's reasons in words.

export type Severity = "info" | "warning" | "error";

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
}

export interface Analysis {
  score: number;
  findings: Finding[];
  facts: {
    subject_length: number;
    word_count: number;
    link_count: number;
    image_count: number;
    words_per_link: number;
    text_image_ratio: number;
    readability_grade: number;
    has_unsubscribe: boolean;
    personalised: boolean;
    merge_tags: string[];
    unknown_merge_tags: string[];
  };
}

export interface ScoreResult {
  model: "logistic" | "rules";
  leads_scored: number;
  auc?: number;
  rules_auc: number | null;
  labelled: number;
  positives: number;
  reason: string;
}

export interface ScoreJob {
  job_id: string;
  status: string;
  percent: number;
  detail?: unknown;
  result: ScoreResult | null;
  error: string | null;
}

export interface ScoreReason {
  feature: string;
  weight: number;
}

/** The verdict of a 0–100 check score, with the tone its gauge takes. */
export function scoreVerdict(score: number): { label: string; tone: "green" | "amber" | "red" } {
  if (score >= 80) return { label: "Good to send", tone: "green" };
  if (score >= 50) return { label: "Needs work", tone: "amber" };
  return { label: "Likely to be filtered", tone: "red" };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then notes; the server's order within each. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity] += 1;
  return out;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "1 error · 2 warnings · 0 notes": the findings' summary line. */
export function summariseCounts(counts: Record<Severity, number>): string {
  return [
    count(counts.error, "error", "errors"),
    count(counts.warning, "warning", "warnings"),
    count(counts.info, "note", "notes"),
  ].join(" · ");
}

/** A job is over when it completed or gave up; until then the view polls it. */
export function jobFinished(job: Pick<ScoreJob, "status">): boolean {
  return ["completed", "failed", "dead", "cancelled"].includes(job.status);
}

/** One line saying what a finished run did. */
export function describeResult(r: ScoreResult): string {
  const leads = `${r.leads_scored.toLocaleString("en-US")} lead${r.leads_scored === 1 ? "" : "s"} scored`;
  if (r.model === "logistic" && r.auc !== undefined) {
    const rules = r.rules_auc === null ? "" : ` (rules: ${r.rules_auc.toFixed(2)})`;
    return `${leads} with a model fitted on your history; held-out AUC ${r.auc.toFixed(2)}${rules}.`;
  }
  return `${leads} with the rule-based score: ${r.reason}.`;
}

const FEATURE_LABELS: Record<string, string> = {
  seniority_c_level: "C-level title",
  seniority_vp: "VP title",
  seniority_director: "Director title",
  seniority_manager: "Manager title",
  seniority_ic: "Individual contributor",
  seniority_none: "No title",
  has_company: "Company known",
  has_website: "Website known",
  has_phone: "Phone known",
  has_country: "Country known",
  opens: "Opens",
  clicks: "Clicks",
  recent_engagement: "Recent engagement",
};

/** "Manager title +1.2" — a reason as the leads table and detail show it. */
export function describeReason(r: ScoreReason): string {
  const label = FEATURE_LABELS[r.feature] ?? r.feature.replace(/_/g, " ");
  const sign = r.weight > 0 ? "+" : r.weight < 0 ? "−" : "";
  const size = Math.abs(r.weight);
  return `${label} ${sign}${Number.isInteger(size) ? size : size.toFixed(2)}`;
}

// Per-recipient-domain limits as the form edits them (strings while typing) and as the API takes them.
import type { DomainLimit } from "../../api/models";

export interface LimitRow {
  domain: string;
  per_minute: string;
}

export const toRows = (limits: DomainLimit[]): LimitRow[] =>
  limits.map((l) => ({ domain: l.domain, per_minute: String(l.per_minute) }));

/**
 * The rows as the API's domain_limits. Blank rows are dropped; a count that is not a whole
 * number is sent as it is, so the server names the field (domain_limits[i].per_minute).
 * Returns the indexes of the sent rows too, to map field errors back to the rows.
 */
export function toLimits(rows: LimitRow[]): {
  limits: { domain: string; per_minute: number | string }[];
  index: number[];
} {
  const limits: { domain: string; per_minute: number | string }[] = [];
  const index: number[] = [];
  rows.forEach((r, i) => {
    if (!r.domain.trim() && !r.per_minute.trim()) return;
    const n = r.per_minute.trim();
    limits.push({ domain: r.domain.trim(), per_minute: /^\d+$/.test(n) ? Number(n) : n });
    index.push(i);
  });
  return { limits, index };
}

/** Field errors keyed by row: "domain_limits[1].domain" of the sent list → row index → message. */
export function rowErrors(
  fieldErrors: Record<string, string>,
  index: number[],
): Record<number, { domain?: string; per_minute?: string }> {
  const out: Record<number, { domain?: string; per_minute?: string }> = {};
  for (const [field, message] of Object.entries(fieldErrors)) {
    const m = /^domain_limits\[(\d+)\]\.(domain|per_minute)$/.exec(field);
    if (!m) continue;
    const row = index[Number(m[1])];
    if (row === undefined) continue;
    out[row] = { ...out[row], [m[2]]: message };
  }
  return out;
}

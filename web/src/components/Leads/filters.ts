// The leads page's filter, sort and paging state, kept in the URL. Pure functions, unit-tested.
import type { LeadFilterObject } from "../../api/models";

export interface CustomCondition {
  key: string;
  value: string;
}

export interface LeadFilters {
  q: string;
  status: string[];
  tag: string[];
  not_tag: string[];
  owner_id: string;
  country: string[];
  source: string;
  created_from: string;
  created_to: string;
  score_min: string;
  score_max: string;
  custom: CustomCondition[];
  segment_id: string;
}

export const emptyFilters = (): LeadFilters => ({
  q: "",
  status: [],
  tag: [],
  not_tag: [],
  owner_id: "",
  country: [],
  source: "",
  created_from: "",
  created_to: "",
  score_min: "",
  score_max: "",
  custom: [],
  segment_id: "",
});

const LIST_KEYS = ["status", "tag", "not_tag", "country"] as const;
const TEXT_KEYS = [
  "q",
  "owner_id",
  "source",
  "created_from",
  "created_to",
  "score_min",
  "score_max",
  "segment_id",
] as const;

export function splitList(v: string | null | undefined): string[] {
  if (!v) return [];
  return v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function filtersFromParams(sp: URLSearchParams): LeadFilters {
  const f = emptyFilters();
  for (const k of LIST_KEYS) f[k] = splitList(sp.get(k));
  for (const k of TEXT_KEYS) f[k] = sp.get(k) ?? "";
  for (const [k, v] of sp.entries()) {
    if (k.startsWith("cf.") && k.length > 3) f.custom.push({ key: k.slice(3), value: v });
  }
  return f;
}

/** Query parameters for GET /api/leads and /api/leads/export (empty values left out). */
export function filtersToQuery(f: LeadFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of TEXT_KEYS) {
    const v = f[k].trim();
    if (v) out[k] = v;
  }
  for (const k of LIST_KEYS) if (f[k].length) out[k] = f[k].join(",");
  for (const c of f.custom) if (c.key.trim()) out[`cf.${c.key.trim()}`] = c.value;
  return out;
}

export function activeFilterCount(f: LeadFilters): number {
  const q = filtersToQuery(f);
  delete q.q;
  delete q.segment_id;
  return Object.keys(q).length;
}

/** The filter object a segment or a bulk action stores ({} selects every lead). */
export function filtersToObject(f: LeadFilters, withSegment = false): LeadFilterObject {
  const out: LeadFilterObject = {};
  for (const k of TEXT_KEYS) {
    if (k === "segment_id" && !withSegment) continue;
    const v = f[k].trim();
    if (v) out[k] = v;
  }
  for (const k of LIST_KEYS) if (f[k].length) out[k] = f[k].length === 1 ? f[k][0] : [...f[k]];
  for (const c of f.custom) if (c.key.trim()) out[`cf.${c.key.trim()}`] = c.value;
  return out;
}

export function filtersFromObject(obj: LeadFilterObject): LeadFilters {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) sp.set(k, Array.isArray(v) ? v.join(",") : String(v));
  return filtersFromParams(sp);
}

const CUSTOM_KEY = /^[A-Za-z0-9_]{1,64}$/;
const INT = /^\d+$/;

/** Problems the server would report, caught before a request (messages keyed like the API's). */
export function validateFilters(f: LeadFilters): Record<string, string> {
  const e: Record<string, string> = {};
  for (const k of ["score_min", "score_max"] as const) {
    const v = f[k].trim();
    if (v && (!INT.test(v) || Number(v) > 100)) e[k] = "must be a whole number from 0 to 100";
  }
  if (!e.score_min && !e.score_max && f.score_min && f.score_max && Number(f.score_min) > Number(f.score_max))
    e.score_max = "must not be below the minimum score";
  if (f.created_from && f.created_to && f.created_from >= f.created_to)
    e.created_to = "must be after the start date";
  if (f.owner_id && f.owner_id !== "none" && !INT.test(f.owner_id.trim()))
    e.owner_id = "must be a user id or none";
  f.custom.forEach((c) => {
    if (c.key && !CUSTOM_KEY.test(c.key))
      e[`cf.${c.key}`] = "custom field names are 1-64 letters, digits or '_'";
  });
  return e;
}

// ---- sort and paging ---------------------------------------------------------------

export const SORTABLE = [
  "id",
  "created_at",
  "updated_at",
  "email",
  "first_name",
  "last_name",
  "company",
  "score",
  "status",
  "country",
] as const;

/** The server refuses offsets past this; deeper pages go by cursor (id order only). */
export const MAX_OFFSET = 100_000;
export const PAGE_SIZES = [25, 50, 100, 200];

export interface PageState {
  sort: string;
  page: number;
  pageSize: number;
  cursor: string;
}

export function pageFromParams(sp: URLSearchParams): PageState {
  const page = Math.max(1, Number.parseInt(sp.get("page") ?? "1", 10) || 1);
  const size = Number.parseInt(sp.get("page_size") ?? "50", 10);
  return {
    sort: sp.get("sort") ?? "-id",
    page,
    pageSize: PAGE_SIZES.includes(size) ? size : 50,
    cursor: sp.get("cursor") ?? "",
  };
}

export function isIdSort(sort: string) {
  return sort === "id" || sort === "-id";
}

export function offsetAllowed(page: number, pageSize: number) {
  return (page - 1) * pageSize <= MAX_OFFSET;
}

/**
 * How to reach `target`: by offset when the server allows it, else by a cursor remembered for
 * that page (id order only); null when neither works.
 */
export function pageRequest(
  target: number,
  state: PageState,
  cursors: ReadonlyMap<number, string>,
): { page: number; cursor: string } | null {
  if (target < 1) return null;
  if (target === 1) return { page: 1, cursor: "" };
  const known = isIdSort(state.sort) ? cursors.get(target) : undefined;
  if (known) return { page: target, cursor: known };
  if (offsetAllowed(target, state.pageSize)) return { page: target, cursor: "" };
  return null;
}

export function toSearchParams(f: LeadFilters, p: PageState): URLSearchParams {
  const sp = new URLSearchParams(filtersToQuery(f));
  if (p.sort !== "-id") sp.set("sort", p.sort);
  if (p.page > 1) sp.set("page", String(p.page));
  if (p.pageSize !== 50) sp.set("page_size", String(p.pageSize));
  if (p.cursor) sp.set("cursor", p.cursor);
  return sp;
}

/** The next sort when a column header is activated: ascending, then descending. */
export function nextSort(current: string, column: string): string {
  if (current === column) return `-${column}`;
  return column;
}

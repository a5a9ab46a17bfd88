// The variables a template may use (the server's VariableSet::standard, docs/templates.md), and
// the small text operations the editor needs: inserting a tag at the caret, finding the position a
// server error names.

export interface TemplateVariable {
  name: string;
  label: string;
  /** What to insert: `{{name}}`, or a section for lists. */
  snippet: string;
}

const LEAD_FIELDS: [string, string][] = [
  ["first_name", "First name"],
  ["last_name", "Last name"],
  ["email", "Email"],
  ["company", "Company"],
  ["title", "Job title"],
  ["phone", "Phone"],
  ["website", "Website"],
  ["country", "Country"],
  ["timezone", "Time zone"],
  ["status", "Status"],
  ["score", "Score"],
  ["id", "Lead id"],
  ["owner_id", "Owner id"],
  ["created_at", "Created at"],
  ["updated_at", "Updated at"],
];

const SYSTEM: [string, string][] = [
  ["unsubscribe_url", "Unsubscribe link"],
  ["campaign_name", "Campaign name"],
  ["from_name", "Sender name"],
  ["from_email", "Sender address"],
];

export const STANDARD_VARIABLES: TemplateVariable[] = [
  ...LEAD_FIELDS.map(([name, label]) => ({ name, label, snippet: `{{${name}}}` })),
  { name: "tags", label: "Tags (a list)", snippet: "{{#tags}}{{.}} {{/tags}}" },
  ...SYSTEM.map(([name, label]) => ({ name, label, snippet: `{{${name}}}` })),
];

const CUSTOM_KEY = /^[A-Za-z0-9_]+$/;

/** custom.<key> variables for the keys of some leads' custom fields (sorted, valid names only). */
export function customVariables(leads: { custom_fields?: Record<string, unknown> }[]): TemplateVariable[] {
  const keys = new Set<string>();
  for (const l of leads)
    for (const k of Object.keys(l.custom_fields ?? {})) if (CUSTOM_KEY.test(k)) keys.add(k);
  return [...keys].sort().map((k) => ({ name: `custom.${k}`, label: k, snippet: `{{custom.${k}}}` }));
}

/** `text` with `snippet` replacing [start, end), and where the caret goes after it. */
export function insertAt(text: string, start: number, end: number, snippet: string) {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  return { text: text.slice(0, s) + snippet + text.slice(e), caret: s + snippet.length };
}

/** The line and column a server message starts with ("line 3, column 7: …"), if any. */
export function positionOf(message: string): { line: number; column: number } | null {
  const m = /line (\d+), column (\d+)/.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

/** The string offset of a 1-based line and column (columns count characters, not UTF-16 units). */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const chars = Array.from(text.slice(offset).split("\n")[0]);
  return offset + chars.slice(0, Math.max(0, column - 1)).join("").length;
}

/** The tag being typed at the caret: `{{` then a partial name with nothing closing it yet. */
export function tagAtCaret(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, Math.max(0, Math.min(caret, text.length)));
  const m = /\{\{\s*([#^/]?)([A-Za-z0-9_.]*)$/.exec(before);
  if (!m || m[1]) return null; // sections and closers are not completed
  return { start: m.index, query: m[2] };
}

/** Variables whose name starts with the query first, then those containing it (case-insensitive). */
export function matchVariables(vars: TemplateVariable[], query: string, limit = 8): TemplateVariable[] {
  const q = query.toLowerCase();
  const starts = vars.filter((v) => v.name.toLowerCase().startsWith(q));
  const contains = q ? vars.filter((v) => !starts.includes(v) && v.name.toLowerCase().includes(q)) : [];
  return [...starts, ...contains].slice(0, limit);
}

/** `text` with the tag typed from `start` to `caret` replaced by the variable's snippet (and a
 * closing `}}` already after the caret taken in), and where the caret goes. */
export function completeTag(text: string, start: number, caret: number, v: TemplateVariable) {
  const end = text.startsWith("}}", caret) ? caret + 2 : caret;
  return insertAt(text, start, end, v.snippet);
}

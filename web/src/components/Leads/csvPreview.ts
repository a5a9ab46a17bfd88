// A small CSV reader for the import preview: the first rows of the file, with the delimiter
// detected the way the server does (comma, semicolon, tab or pipe) and RFC 4180 quoting.

export interface CsvPreview {
  delimiter: string;
  header: string[];
  rows: string[][];
}

const DELIMITERS = [",", ";", "\t", "|"];

export function detectDelimiter(firstLine: string): string {
  let best = ",";
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let n = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) n++;
    }
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** `complete`: the text is the whole file (else the last, possibly cut, record is dropped). */
export function parseCsvPreview(text: string, maxRows = 5, complete = true): CsvPreview {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstBreak = text.search(/\r?\n/);
  const delimiter = detectDelimiter(firstBreak < 0 ? text : text.slice(0, firstBreak));
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const finish = () => {
    record.push(field);
    field = "";
    if (!(record.length === 1 && record[0] === "")) records.push(record);
    record = [];
  };
  while (i < text.length && records.length <= maxRows) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      finish();
    } else field += ch;
    i++;
  }
  // The last record is complete only when the whole file was read.
  if (complete && i >= text.length && (field !== "" || record.length)) finish();
  const [header = [], ...rows] = records;
  return { delimiter, header: header.map((h) => h.trim()), rows: rows.slice(0, maxRows) };
}

/** A custom-field key the API accepts, made from a CSV header. */
export function customKey(header: string): string {
  const k = header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 64);
  return k || "field";
}

export const IMPORT_FIELDS = [
  "name",
  "email",
  "first_name",
  "last_name",
  "company",
  "title",
  "phone",
  "website",
  "country",
  "timezone",
  "status",
  "score",
  "tags",
  "source",
] as const;

/**
 * The `mapping` query value: only the columns the user changed from "automatic" (the server
 * recognises the usual headers itself). Empty when nothing was changed.
 */
export function mappingParam(choices: Record<string, string>): string {
  const m: Record<string, string> = {};
  for (const [header, choice] of Object.entries(choices)) {
    if (!choice || choice === "auto") continue;
    m[header] = choice === "custom" ? `cf.${customKey(header)}` : choice;
  }
  return Object.keys(m).length ? JSON.stringify(m) : "";
}

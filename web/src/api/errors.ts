// One error type for every failed call: RFC 9457 problem documents are mapped field by field,
// anything else (network failure, a proxy's HTML page) becomes a readable message.

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  /** Per-field messages from a validation problem, keyed by field name ("filter.status", "email", …). */
  readonly fieldErrors: Record<string, string>;
  /** Seconds from a Retry-After header (429, 503). */
  readonly retryAfter: number | null;
  readonly requestId: string | null;

  constructor(init: {
    status: number;
    title: string;
    detail?: string;
    type?: string;
    fieldErrors?: Record<string, string>;
    retryAfter?: number | null;
    requestId?: string | null;
  }) {
    super(init.detail || init.title);
    this.name = "ApiError";
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail ?? "";
    this.type = init.type ?? "about:blank";
    this.fieldErrors = init.fieldErrors ?? {};
    this.retryAfter = init.retryAfter ?? null;
    this.requestId = init.requestId ?? null;
  }

  get isNetwork() {
    return this.status === 0;
  }

  /** A message for a person: the detail, or a sentence for the status. */
  get userMessage(): string {
    if (this.status === 0) return "Cannot reach the Herald server. Check your connection and try again.";
    if (this.status === 429) {
      const wait = this.retryAfter ? ` Try again in ${this.retryAfter} s.` : "";
      return (this.detail || "Too many requests.") + (this.detail.includes("retry in") ? "" : wait);
    }
    if (this.status === 403) return this.detail || "You do not have permission to do this.";
    if (this.status >= 500) {
      const id = this.requestId ? ` (request ${this.requestId})` : "";
      return (this.detail || "The server failed to answer.") + id;
    }
    return this.detail || this.title;
  }
}

/** The field errors not shown beside any of the given fields (so they can be listed above the form). */
export function unplacedFieldErrors(error: ApiError, shown: readonly string[]): FieldError[] {
  return Object.entries(error.fieldErrors)
    .filter(([field]) => !shown.includes(field))
    .map(([field, message]) => ({ field, message }));
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const n = Number(value);
  if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return null;
}

/** Builds an ApiError from a failed response (reads its body). */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const contentType = response.headers.get("Content-Type") ?? "";
  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  const requestId = response.headers.get("X-Request-ID");
  let text = "";
  try {
    text = await response.text();
  } catch {
    // the body could not be read; the status still says enough
  }
  if (contentType.includes("json") && text) {
    try {
      const doc = JSON.parse(text) as Record<string, unknown>;
      const fieldErrors: Record<string, string> = {};
      if (Array.isArray(doc.errors)) {
        for (const e of doc.errors as unknown[]) {
          if (e && typeof e === "object") {
            const { field, message } = e as { field?: unknown; message?: unknown };
            if (typeof field === "string" && typeof message === "string") {
              // Several messages for one field are joined.
              fieldErrors[field] = fieldErrors[field] ? `${fieldErrors[field]}; ${message}` : message;
            }
          }
        }
      }
      return new ApiError({
        status: typeof doc.status === "number" ? doc.status : response.status,
        title: typeof doc.title === "string" ? doc.title : response.statusText || `HTTP ${response.status}`,
        detail: typeof doc.detail === "string" ? doc.detail : "",
        type: typeof doc.type === "string" ? doc.type : undefined,
        fieldErrors,
        retryAfter,
        requestId,
      });
    } catch {
      // not JSON after all: fall through
    }
  }
  return new ApiError({
    status: response.status,
    title: response.statusText || `HTTP ${response.status}`,
    detail: contentType.startsWith("text/plain") ? text.slice(0, 300) : "",
    retryAfter,
    requestId,
  });
}

export function networkError(cause: unknown): ApiError {
  return new ApiError({
    status: 0,
    title: "Network error",
    detail: cause instanceof Error ? cause.message : String(cause),
  });
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** Any thrown value as a sentence. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.userMessage;
  if (e instanceof Error) return e.message;
  return String(e);
}

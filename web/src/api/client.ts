// The HTTP client: typed requests against the generated API description, bearer tokens with
// silent refresh (serialised: each refresh token works once), problem+json errors.
import { ApiError, errorFromResponse, networkError } from "./errors";
import type { BodyOf, Method, PathFor, PathParamsOf, QueryOf, ResponseOf } from "./typed";

export interface StoredSession {
  token: string;
  refresh_token: string;
  /** epoch ms when the access token expires */
  expires_at: number;
}

export interface TokenResponse {
  token: string;
  refresh_token: string;
  expires_in: number;
}

export type SignOutReason = "signed_out" | "expired" | "revoked" | "password_changed";
type Listener = (session: StoredSession | null, reason?: SignOutReason) => void;

const STORAGE_KEY = "herald.session";
const LOCK_NAME = "herald-token-refresh";
/** Refresh this long before the access token runs out. */
const EARLY_REFRESH_MS = 30_000;

interface RequestOptions {
  params?: Record<string, string | number>;
  query?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal;
  /** Resolve with the raw Response (for CSV, blobs and health's 503-with-body). */
  raw?: boolean;
  /** Statuses other than 2xx that still carry the answer (e.g. 503 from detailed health). */
  acceptStatus?: number[];
  /** Do not attach a token and never refresh (login, refresh). */
  anonymous?: boolean;
}

export function buildUrl(
  path: string,
  params?: Record<string, string | number>,
  query?: Record<string, unknown>,
) {
  let url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(v));
  });
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === "") continue;
      if (Array.isArray(v)) {
        if (v.length) qs.set(k, v.join(","));
      } else {
        qs.set(k, String(v));
      }
    }
    const s = qs.toString();
    if (s) url += "?" + s;
  }
  return url;
}

export class ApiClient {
  private session: StoredSession | null;
  private refreshing: Promise<StoredSession | null> | null = null;
  private listeners = new Set<Listener>();
  private readonly fetchImpl: typeof fetch;
  private readonly storage: Storage | null;

  constructor(opts: { fetch?: typeof fetch; storage?: Storage | null; baseUrl?: string } = {}) {
    this.fetchImpl = opts.fetch ?? ((...args) => globalThis.fetch(...args));
    this.storage = opts.storage === undefined ? safeLocalStorage() : opts.storage;
    this.baseUrl = opts.baseUrl ?? "";
    this.session = this.readStored();
    if (typeof window !== "undefined" && this.storage && opts.storage === undefined) {
      // Another tab signed in, refreshed or signed out.
      window.addEventListener("storage", (e) => {
        if (e.key !== STORAGE_KEY) return;
        const next = this.readStored();
        const was = this.session;
        this.session = next;
        if (!next && was) this.emit(null, "signed_out");
        else if (next && (!was || was.refresh_token !== next.refresh_token)) this.emit(next);
      });
    }
  }

  readonly baseUrl: string;

  // ---- session -------------------------------------------------------------------

  get current(): StoredSession | null {
    return this.session;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(session: StoredSession | null, reason?: SignOutReason) {
    for (const l of this.listeners) l(session, reason);
  }

  private readStored(): StoredSession | null {
    if (!this.storage) return this.session ?? null;
    try {
      const raw = this.storage.getItem(STORAGE_KEY);
      if (!raw) return null;
      const s = JSON.parse(raw) as StoredSession;
      return s && typeof s.token === "string" && typeof s.refresh_token === "string" ? s : null;
    } catch {
      return null;
    }
  }

  private store(s: StoredSession | null) {
    this.session = s;
    if (!this.storage) return;
    try {
      if (s) this.storage.setItem(STORAGE_KEY, JSON.stringify(s));
      else this.storage.removeItem(STORAGE_KEY);
    } catch {
      // storage full or disabled: the session lives in memory only
    }
  }

  /** Keeps the tokens of a login or refresh answer. */
  adopt(t: TokenResponse) {
    const s = {
      token: t.token,
      refresh_token: t.refresh_token,
      expires_at: Date.now() + t.expires_in * 1000,
    };
    this.store(s);
    this.emit(s);
    return s;
  }

  /** Forgets the session locally (after logout, or when the server ended it). */
  clear(reason: SignOutReason = "signed_out") {
    const had = this.session !== null;
    this.store(null);
    if (had) this.emit(null, reason);
  }

  /**
   * Exchanges the refresh token for a new pair. Concurrent callers in this tab share one request;
   * other tabs are serialised with a Web Lock and re-read storage, so a token is never sent twice.
   */
  refresh(): Promise<StoredSession | null> {
    if (this.refreshing) return this.refreshing;
    const used = this.session?.refresh_token;
    if (!used) return Promise.resolve(null);
    const run = async (): Promise<StoredSession | null> => {
      // Another tab may have refreshed while we waited for the lock.
      const stored = this.readStored();
      if (stored && stored.refresh_token !== used) {
        this.session = stored;
        return stored;
      }
      if (!stored && this.storage) {
        this.clear("signed_out");
        return null;
      }
      let response: Response;
      try {
        response = await this.fetchImpl(this.baseUrl + "/api/auth/refresh", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ refresh_token: used }),
        });
      } catch (e) {
        throw networkError(e);
      }
      if (response.ok) return this.adopt((await response.json()) as TokenResponse);
      const err = await errorFromResponse(response);
      if (err.status === 401) {
        this.clear(err.detail.includes("revoked") ? "revoked" : "expired");
        return null;
      }
      throw err;
    };
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    const p = ((locks ? locks.request(LOCK_NAME, run) : run()) as Promise<StoredSession | null>).finally(
      () => {
        this.refreshing = null;
      },
    );
    this.refreshing = p;
    return p;
  }

  private async accessToken(): Promise<string | null> {
    let s = this.session;
    if (s && s.expires_at - EARLY_REFRESH_MS < Date.now()) s = await this.refresh();
    return s?.token ?? null;
  }

  // ---- requests ------------------------------------------------------------------

  /** Sends a request with the session's token; on 401 refreshes once and retries. */
  async send(method: string, url: string, init: RequestInit = {}, anonymous = false): Promise<Response> {
    const attempt = async (token: string | null) => {
      const headers = new Headers(init.headers);
      if (!headers.has("Accept")) headers.set("Accept", "application/json");
      if (token) headers.set("Authorization", `Bearer ${token}`);
      try {
        return await this.fetchImpl(this.baseUrl + url, { ...init, method: method.toUpperCase(), headers });
      } catch (e) {
        if (e instanceof DOMException && e.name === "AbortError") throw e;
        throw networkError(e);
      }
    };
    if (anonymous) return attempt(null);
    const token = await this.accessToken();
    const response = await attempt(token);
    if (response.status !== 401 || !token) return response;
    // The token may have expired early or been replaced by another tab's refresh.
    const renewed = this.session && this.session.token !== token ? this.session : await this.refresh();
    if (!renewed) return response;
    return attempt(renewed.token);
  }

  async request<M extends Method, P extends PathFor<M>>(
    method: M,
    path: P,
    opts: {
      params?: PathParamsOf<P, M>;
      query?: QueryOf<P, M>;
      body?: BodyOf<P, M> | Record<string, unknown>;
    } & Omit<RequestOptions, "params" | "query" | "body"> = {},
  ): Promise<ResponseOf<P, M>> {
    const url = buildUrl(path, opts.params as Record<string, string | number> | undefined, opts.query);
    const init: RequestInit = { signal: opts.signal };
    if (opts.body !== undefined) {
      init.body = JSON.stringify(opts.body);
      init.headers = { "Content-Type": "application/json" };
    }
    const response = await this.send(method, url, init, opts.anonymous);
    if (!response.ok && !opts.acceptStatus?.includes(response.status)) {
      const err = await errorFromResponse(response);
      if (err.status === 401 && !opts.anonymous && this.session) this.clear("expired");
      throw err;
    }
    if (response.status === 204) return undefined as ResponseOf<P, M>;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as ResponseOf<P, M>;
  }

  get<P extends PathFor<"get">>(
    path: P,
    opts?: { params?: PathParamsOf<P, "get">; query?: QueryOf<P, "get"> } & Omit<
      RequestOptions,
      "params" | "query" | "body"
    >,
  ) {
    return this.request("get", path, opts as never) as Promise<ResponseOf<P, "get">>;
  }
  post<P extends PathFor<"post">>(
    path: P,
    opts?: {
      params?: PathParamsOf<P, "post">;
      query?: QueryOf<P, "post">;
      body?: BodyOf<P, "post"> | Record<string, unknown>;
    } & Omit<RequestOptions, "params" | "query" | "body">,
  ) {
    return this.request("post", path, opts as never) as Promise<ResponseOf<P, "post">>;
  }
  patch<P extends PathFor<"patch">>(
    path: P,
    opts: { params: PathParamsOf<P, "patch">; body: BodyOf<P, "patch"> | Record<string, unknown> },
  ) {
    return this.request("patch", path, opts as never) as Promise<ResponseOf<P, "patch">>;
  }
  delete<P extends PathFor<"delete">>(path: P, opts: { params: PathParamsOf<P, "delete"> }) {
    return this.request("delete", path, opts as never) as Promise<ResponseOf<P, "delete">>;
  }

  /** Fetches a file (CSV export, report) with the session's token and hands it to the browser. */
  async download<P extends PathFor<"get">>(
    path: P,
    filename: string,
    opts: { params?: PathParamsOf<P, "get">; query?: QueryOf<P, "get"> } = {},
  ): Promise<number> {
    const url = buildUrl(path, opts.params as Record<string, string | number> | undefined, opts.query);
    const response = await this.send("get", url, { headers: { Accept: "*/*" } });
    if (!response.ok) throw await errorFromResponse(response);
    const blob = await response.blob();
    saveBlob(blob, filename);
    return blob.size;
  }

  /**
   * Uploads a file as the request body, reporting upload progress (XMLHttpRequest is the only
   * browser API that does). Refreshes the token first when it is about to expire.
   */
  async upload<T, P extends PathFor<"post">>(
    path: P,
    query: QueryOf<P, "post">,
    file: Blob,
    contentType: string,
    onProgress?: (sent: number, total: number) => void,
  ): Promise<T> {
    const url = buildUrl(path, undefined, query);
    const once = (token: string | null) =>
      new Promise<{ status: number; body: string; headers: Headers }>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open("POST", this.baseUrl + url);
        xhr.setRequestHeader("Content-Type", contentType);
        xhr.setRequestHeader("Accept", "application/json");
        if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
        xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
        xhr.onload = () => {
          const headers = new Headers();
          for (const line of xhr
            .getAllResponseHeaders()
            .trim()
            .split(/[\r\n]+/)) {
            const i = line.indexOf(":");
            if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
          }
          resolve({ status: xhr.status, body: xhr.responseText, headers });
        };
        xhr.onerror = () => reject(networkError(new Error("the upload was interrupted")));
        xhr.send(file);
      });
    let token = await this.accessToken();
    let r = await once(token);
    if (r.status === 401 && token) {
      token = (await this.refresh())?.token ?? null;
      if (token) r = await once(token);
    }
    if (r.status < 200 || r.status >= 300) {
      throw await errorFromResponse(new Response(r.body || null, { status: r.status, headers: r.headers }));
    }
    return JSON.parse(r.body) as T;
  }
}

export function saveBlob(blob: Blob, filename: string) {
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage !== "undefined" ? localStorage : null;
  } catch {
    return null;
  }
}

export const api = new ApiClient();
export { ApiError };

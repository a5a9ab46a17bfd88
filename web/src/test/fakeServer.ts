// A scripted stand-in for fetch in component tests: routes by method and path, records calls.
export type Handler = (req: {
  url: URL;
  method: string;
  body: unknown;
  headers: Headers;
}) => Response | Promise<Response>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers },
  });
}

export function fakeFetch(routes: Record<string, Handler>) {
  const calls: { method: string; path: string; auth: string | null; body: unknown }[] = [];
  const fetchFn = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://herald.test");
    const method = (init.method ?? "GET").toUpperCase();
    const headers = new Headers(init.headers);
    const body = typeof init.body === "string" && init.body ? JSON.parse(init.body) : undefined;
    calls.push({ method, path: url.pathname + url.search, auth: headers.get("Authorization"), body });
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler)
      return json(404, {
        type: "about:blank",
        title: "Not Found",
        status: 404,
        detail: `no route ${method} ${url.pathname}`,
      });
    return handler({ url, method, body, headers });
  };
  return { fetch: fetchFn as typeof fetch, calls };
}

export function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

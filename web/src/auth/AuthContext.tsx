import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { api, type SignOutReason } from "../api/client";
import { authApi } from "../api/endpoints";
import { ApiError } from "../api/errors";
import type { Me, User } from "../api/models";

export type AuthStatus = "loading" | "signed_in" | "signed_out";

export interface AuthState {
  status: AuthStatus;
  user: User | null;
  permissions: ReadonlySet<string>;
  /** Why the last session ended, when the server ended it. */
  endedBecause: SignOutReason | null;
  can: (permission: string) => boolean;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  reloadMe: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

// The last /me answer, so a reload draws the app at once and revalidates in the background
// (the server checks every call; this only decides what to draw).
const ME_KEY = "herald.me";
function cachedMe(): Me | null {
  if (!api.current) return null;
  try {
    const raw = localStorage.getItem(ME_KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}
function cacheMe(me: Me | null) {
  try {
    if (me) localStorage.setItem(ME_KEY, JSON.stringify(me));
    else localStorage.removeItem(ME_KEY);
  } catch {
    // storage disabled
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(cachedMe);
  const [status, setStatus] = useState<AuthStatus>(me ? "signed_in" : api.current ? "loading" : "signed_out");
  const [endedBecause, setEndedBecause] = useState<SignOutReason | null>(null);

  const reloadMe = useCallback(async () => {
    if (!api.current) {
      setStatus("signed_out");
      return;
    }
    try {
      const m = await authApi.me();
      cacheMe(m);
      setMe(m);
      setStatus("signed_in");
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        cacheMe(null);
        setMe(null);
        setStatus("signed_out");
      } else if (!me) {
        // Unreachable and nothing cached to draw: the sign-in page says so on the next try.
        setStatus("signed_out");
      }
      // With a cached profile the app stays up and each page shows its own error state.
    }
  }, [me]);

  useEffect(() => {
    if (api.current) void reloadMe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const meRef = useRef(me);
  meRef.current = me;
  const reloadRef = useRef(reloadMe);
  reloadRef.current = reloadMe;

  useEffect(
    () =>
      api.subscribe((session, reason) => {
        // Another tab signed in: load the profile here too.
        if (session && !meRef.current) void reloadRef.current();
        if (!session) {
          cacheMe(null);
          setMe(null);
          setStatus("signed_out");
          setEndedBecause(reason && reason !== "signed_out" ? reason : null);
        }
      }),
    [],
  );

  // Permissions can change (an admin edits the role): re-read them when the tab regains focus.
  useEffect(() => {
    const onFocus = () => {
      if (api.current && status === "signed_in") void reloadMe();
    };
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [status, reloadMe]);

  const signIn = useCallback(async (email: string, password: string) => {
    const r = await authApi.login(email, password);
    const m = { ...r.user, permissions: r.permissions };
    cacheMe(m);
    meRef.current = m;
    api.adopt(r);
    setMe(m);
    setEndedBecause(null);
    setStatus("signed_in");
  }, []);

  const signOut = useCallback(async () => {
    const refresh = api.current?.refresh_token;
    try {
      if (refresh) await authApi.logout(refresh);
    } catch {
      // the session is forgotten here whatever the server says
    }
    api.clear("signed_out");
    setEndedBecause(null);
  }, []);

  const value = useMemo<AuthState>(() => {
    const permissions = new Set(me?.permissions ?? []);
    const user: User | null = me
      ? {
          id: me.id,
          email: me.email,
          name: me.name,
          role: me.role,
          active: me.active,
          created_at: me.created_at,
          updated_at: me.updated_at,
          last_login_at: me.last_login_at,
        }
      : null;
    return {
      status,
      user,
      permissions,
      endedBecause,
      can: (p: string) => permissions.has(p),
      signIn,
      signOut,
      reloadMe,
    };
  }, [status, me, endedBecause, signIn, signOut, reloadMe]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}

/** Renders its children only when the signed-in user holds the permission(s). */
export function Can({
  perm,
  anyOf,
  children,
  fallback = null,
}: {
  perm?: string | string[];
  anyOf?: string[];
  children: ReactNode;
  fallback?: ReactNode;
}) {
  const { permissions } = useAuth();
  const all = perm === undefined ? [] : Array.isArray(perm) ? perm : [perm];
  const ok = all.every((p) => permissions.has(p)) && (!anyOf || anyOf.some((p) => permissions.has(p)));
  return <>{ok ? children : fallback}</>;
}

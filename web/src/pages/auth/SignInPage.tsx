import { useEffect, useState, type FormEvent } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router-dom";
import { ApiError, messageOf } from "../../api/errors";
import { useAuth } from "../../auth/AuthContext";
import { Button } from "../../components/ui/Button";
import { TextField } from "../../components/ui/Field";

/** The message for a failed sign-in, and how long the form stays locked. */
export function signInProblem(e: unknown): { message: string; lockedFor: number } {
  if (e instanceof ApiError) {
    if (e.status === 429 || e.status === 423) {
      const wait = e.retryAfter ?? 60;
      return {
        message:
          e.status === 429
            ? `Too many sign-in attempts for this account from here. Try again in ${wait} s.`
            : e.detail || `This account is locked. Try again in ${wait} s.`,
        lockedFor: wait,
      };
    }
    if (e.status === 401) return { message: e.detail || "Wrong email or password.", lockedFor: 0 };
    if (e.status === 400 || e.status === 422) {
      const fields = Object.values(e.fieldErrors);
      return { message: fields.length ? fields.join("; ") : e.userMessage, lockedFor: 0 };
    }
  }
  return { message: messageOf(e), lockedFor: 0 };
}

export function SignInPage() {
  const { status, signIn, endedBecause } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const next = new URLSearchParams(location.search).get("next");
  const target = next && next.startsWith("/") && !next.startsWith("//") ? next : "/dashboard";
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [lockedUntil, setLockedUntil] = useState(0);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    if (lockedUntil <= Date.now()) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [lockedUntil]);
  const remaining = Math.max(0, Math.ceil((lockedUntil - now) / 1000));

  if (status === "signed_in") return <Navigate to={target} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fe: Record<string, string> = {};
    if (!email.trim()) fe.email = "Enter your email address.";
    if (!password) fe.password = "Enter your password.";
    setFieldErrors(fe);
    if (Object.keys(fe).length) return;
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      navigate(target, { replace: true });
    } catch (err) {
      const p = signInProblem(err);
      setError(p.message);
      if (err instanceof ApiError) setFieldErrors(err.fieldErrors);
      if (p.lockedFor) {
        setLockedUntil(Date.now() + p.lockedFor * 1000);
        setNow(Date.now());
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex min-h-screen items-center justify-center p-4">
      <main className="w-full max-w-sm">
        <Link to="/" className="mb-6 flex items-center justify-center gap-2">
          <img src="/favicon.svg" alt="" className="h-9 w-9" />
          <span className="text-2xl font-semibold">Herald</span>
        </Link>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <h1 className="mb-4 text-xl font-semibold">Sign in</h1>
          {endedBecause && !error && (
            <p
              className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
              role="status"
            >
              {endedBecause === "revoked"
                ? "Your session was ended for safety (a sign-in token was used twice). Please sign in again."
                : endedBecause === "password_changed"
                  ? "Your password was changed, which ends every session. Sign in with the new password."
                  : "Your session has ended. Please sign in again."}
            </p>
          )}
          {error && (
            <p
              className="mb-4 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
              role="alert"
              data-testid="signin-error"
            >
              {error}
            </p>
          )}
          <form onSubmit={submit} noValidate className="flex flex-col gap-4">
            <TextField
              label="Email"
              type="email"
              name="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={fieldErrors.email}
              required
            />
            <TextField
              label="Password"
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={fieldErrors.password}
              required
            />
            <Button type="submit" variant="primary" busy={busy} disabled={remaining > 0}>
              {remaining > 0 ? `Try again in ${remaining} s` : "Sign in"}
            </Button>
          </form>
        </div>
      </main>
    </div>
  );
}

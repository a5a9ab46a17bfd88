import type { ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { useAuth } from "./auth/AuthContext";
import { allowed } from "./auth/permissions";
import { AppShell } from "./components/Layout/AppShell";
import { LoadingState } from "./components/ui/States";
import { AdminLayout } from "./pages/admin/AdminLayout";
import { AdminOverviewPage } from "./pages/admin/AdminOverviewPage";
import { AuditLogPage } from "./pages/admin/AuditLogPage";
import { RolesPage } from "./pages/admin/RolesPage";
import { UsersPage } from "./pages/admin/UsersPage";
import { SignInPage } from "./pages/auth/SignInPage";
import { DashboardPage } from "./pages/dashboard/DashboardPage";
import { LandingPage } from "./pages/landing/LandingPage";
import { ImportPage } from "./pages/leads/ImportPage";
import { LeadDetailPage } from "./pages/leads/LeadDetailPage";
import { LeadsPage } from "./pages/leads/LeadsPage";
import { SuppressionsPage } from "./pages/leads/SuppressionsPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { SettingsPage } from "./pages/settings/SettingsPage";

function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  if (status === "loading") return <LoadingState label="Signing you in" />;
  if (status === "signed_out") {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/signin?next=${next}`} replace />;
  }
  return <>{children}</>;
}

/** A page behind permissions: without them, a clear message instead of the page. */
export function Gate({ anyOf, allOf, children }: { anyOf?: string[]; allOf?: string[]; children: ReactNode }) {
  const { permissions } = useAuth();
  if (!allowed(permissions, { anyOf, allOf })) {
    return (
      <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-6 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        <h1 className="text-lg font-semibold">Not available to your role</h1>
        <p className="mt-1 text-sm">
          This page needs the permission {[...(allOf ?? []), ...(anyOf ?? [])].join(" or ")}. Ask an administrator if you
          need it.
        </p>
      </div>
    );
  }
  return <>{children}</>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<LandingPage />} />
      <Route path="/signin" element={<SignInPage />} />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route path="/dashboard" element={<DashboardPage />} />
        <Route path="/leads" element={<Gate allOf={["lead:read"]}><LeadsPage /></Gate>} />
        <Route path="/leads/import" element={<Gate allOf={["lead:import"]}><ImportPage /></Gate>} />
        <Route path="/leads/suppressions" element={<Gate allOf={["lead:read"]}><SuppressionsPage /></Gate>} />
        <Route path="/leads/:id" element={<Gate allOf={["lead:read"]}><LeadDetailPage /></Gate>} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="/admin" element={<AdminLayout />}>
          <Route index element={<Gate anyOf={["system:read", "audit:read"]}><AdminOverviewPage /></Gate>} />
          <Route path="users" element={<Gate allOf={["user:manage"]}><UsersPage /></Gate>} />
          <Route path="roles" element={<Gate allOf={["role:manage"]}><RolesPage /></Gate>} />
          <Route path="audit" element={<Gate allOf={["audit:read"]}><AuditLogPage /></Gate>} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}

import { lazy, type ComponentType, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { useAuth } from "./auth/AuthContext";
import { allowed } from "./auth/permissions";
import { AppShell } from "./components/Layout/AppShell";
import { LoadingState } from "./components/ui/States";
import { SignInPage } from "./pages/auth/SignInPage";
import { LandingPage } from "./pages/landing/LandingPage";
import { LeadsPage } from "./pages/leads/LeadsPage";
import { NotFoundPage } from "./pages/NotFoundPage";

// Pages load on first visit; the leads page (the busiest) ships with the first bundle.
const named = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const DashboardPage = named(() => import("./pages/dashboard/DashboardPage"), "DashboardPage");
const ImportPage = named(() => import("./pages/leads/ImportPage"), "ImportPage");
const LeadDetailPage = named(() => import("./pages/leads/LeadDetailPage"), "LeadDetailPage");
const SuppressionsPage = named(() => import("./pages/leads/SuppressionsPage"), "SuppressionsPage");
const TemplatesPage = named(() => import("./pages/templates/TemplatesPage"), "TemplatesPage");
const TemplateEditPage = named(() => import("./pages/templates/TemplateEditPage"), "TemplateEditPage");
const OutboxPage = named(() => import("./pages/admin/OutboxPage"), "OutboxPage");
const CampaignsPage = named(() => import("./pages/campaigns/CampaignsPage"), "CampaignsPage");
const CampaignEditorPage = named(() => import("./pages/campaigns/CampaignEditorPage"), "CampaignEditorPage");
const CampaignDetailPage = named(() => import("./pages/campaigns/CampaignDetailPage"), "CampaignDetailPage");
const AnalyticsPage = named(() => import("./pages/analytics/AnalyticsPage"), "AnalyticsPage");
const AssistantPage = named(() => import("./pages/assistant/AssistantPage"), "AssistantPage");
const SettingsPage = named(() => import("./pages/settings/SettingsPage"), "SettingsPage");
const AdminLayout = named(() => import("./pages/admin/AdminLayout"), "AdminLayout");
const AdminOverviewPage = named(() => import("./pages/admin/AdminOverviewPage"), "AdminOverviewPage");
const AuditLogPage = named(() => import("./pages/admin/AuditLogPage"), "AuditLogPage");
const RolesPage = named(() => import("./pages/admin/RolesPage"), "RolesPage");
const UsersPage = named(() => import("./pages/admin/UsersPage"), "UsersPage");

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
export function Gate({
  anyOf,
  allOf,
  children,
}: {
  anyOf?: string[];
  allOf?: string[];
  children: ReactNode;
}) {
  const { permissions } = useAuth();
  if (!allowed(permissions, { anyOf, allOf })) {
    return (
      <div
        role="alert"
        className="rounded-lg border border-amber-300 bg-amber-50 p-6 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
      >
        <h1 className="text-lg font-semibold">Not available to your role</h1>
        <p className="mt-1 text-sm">
          This page needs the permission {[...(allOf ?? []), ...(anyOf ?? [])].join(" or ")}. Ask an
          administrator if you need it.
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
        <Route
          path="/leads"
          element={
            <Gate allOf={["lead:read"]}>
              <LeadsPage />
            </Gate>
          }
        />
        <Route
          path="/leads/import"
          element={
            <Gate allOf={["lead:import"]}>
              <ImportPage />
            </Gate>
          }
        />
        <Route
          path="/leads/suppressions"
          element={
            <Gate allOf={["lead:read"]}>
              <SuppressionsPage />
            </Gate>
          }
        />
        <Route
          path="/leads/:id"
          element={
            <Gate allOf={["lead:read"]}>
              <LeadDetailPage />
            </Gate>
          }
        />
        <Route
          path="/templates"
          element={
            <Gate allOf={["template:read"]}>
              <TemplatesPage />
            </Gate>
          }
        />
        <Route
          path="/templates/new"
          element={
            <Gate allOf={["template:write"]}>
              <TemplateEditPage />
            </Gate>
          }
        />
        <Route
          path="/templates/:id"
          element={
            <Gate allOf={["template:read"]}>
              <TemplateEditPage />
            </Gate>
          }
        />
        <Route
          path="/campaigns"
          element={
            <Gate allOf={["campaign:read"]}>
              <CampaignsPage />
            </Gate>
          }
        />
        <Route
          path="/campaigns/new"
          element={
            <Gate allOf={["campaign:create"]}>
              <CampaignEditorPage />
            </Gate>
          }
        />
        <Route
          path="/campaigns/:id/edit"
          element={
            <Gate allOf={["campaign:create"]}>
              <CampaignEditorPage />
            </Gate>
          }
        />
        <Route
          path="/campaigns/:id"
          element={
            <Gate allOf={["campaign:read"]}>
              <CampaignDetailPage />
            </Gate>
          }
        />
        <Route
          path="/analytics"
          element={
            <Gate allOf={["analytics:read"]}>
              <AnalyticsPage />
            </Gate>
          }
        />
        <Route
          path="/assistant"
          element={
            <Gate allOf={["ai:use"]}>
              <AssistantPage />
            </Gate>
          }
        />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="/admin" element={<AdminLayout />}>
          <Route
            index
            element={
              <Gate anyOf={["system:read", "audit:read"]}>
                <AdminOverviewPage />
              </Gate>
            }
          />
          <Route
            path="users"
            element={
              <Gate allOf={["user:manage"]}>
                <UsersPage />
              </Gate>
            }
          />
          <Route
            path="roles"
            element={
              <Gate allOf={["role:manage"]}>
                <RolesPage />
              </Gate>
            }
          />
          <Route
            path="outbox"
            element={
              <Gate allOf={["system:read"]}>
                <OutboxPage />
              </Gate>
            }
          />
          <Route
            path="audit"
            element={
              <Gate allOf={["audit:read"]}>
                <AuditLogPage />
              </Gate>
            }
          />
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

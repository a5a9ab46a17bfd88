import { Suspense } from "react";
import { NavLink, Outlet } from "react-router-dom";
import { LoadingState } from "../../components/ui/States";
import { ADMIN_NAV } from "../../app/navigation";
import { useAuth } from "../../auth/AuthContext";
import { allowed } from "../../auth/permissions";

export function AdminLayout() {
  const { permissions } = useAuth();
  const tabs = ADMIN_NAV.filter((t) => allowed(permissions, { anyOf: t.anyOf }));
  return (
    <div>
      {tabs.length > 0 && (
        <nav
          aria-label="Administration"
          className="mb-5 flex flex-wrap gap-1 border-b border-slate-200 dark:border-slate-800"
        >
          {tabs.map((t) => (
            <NavLink
              key={t.to}
              to={t.to}
              end={t.end}
              className={({ isActive }) =>
                `-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
                  isActive
                    ? "border-indigo-600 text-indigo-800 dark:border-indigo-400 dark:text-indigo-200"
                    : "border-transparent text-slate-700 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white"
                }`
              }
            >
              {t.label}
            </NavLink>
          ))}
        </nav>
      )}
      <Suspense fallback={<LoadingState />}>
        <Outlet />
      </Suspense>
    </div>
  );
}

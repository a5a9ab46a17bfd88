import { Suspense, useEffect, useState } from "react";
import { NavLink, Outlet, useLocation } from "react-router-dom";
import { visibleNav } from "../../app/navigation";
import { useAuth } from "../../auth/AuthContext";
import { savedTheme, setTheme, type Theme } from "../../lib/theme";
import { Icon } from "../ui/Icon";
import { LoadingState } from "../ui/States";

function ThemeSwitch() {
  const [theme, set] = useState<Theme>(savedTheme());
  return (
    <label className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
      <Icon name={theme === "dark" ? "moon" : "sun"} className="h-4 w-4" />
      <span className="sr-only">Theme</span>
      <select
        value={theme}
        onChange={(e) => {
          const t = e.target.value as Theme;
          set(t);
          setTheme(t);
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900"
        aria-label="Colour theme"
      >
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}

export function AppShell() {
  const { user, permissions, signOut } = useAuth();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setMenuOpen(false), [location.pathname]);
  const entries = visibleNav(permissions);

  const nav = (
    <nav aria-label="Main" className="flex flex-col gap-1 p-3">
      {entries.map((e) => (
        <NavLink
          key={e.to}
          to={e.to}
          className={({ isActive }) =>
            `flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium ${
              isActive
                ? "bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200"
                : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
            }`
          }
        >
          <Icon name={e.icon} />
          {e.label}
        </NavLink>
      ))}
    </nav>
  );

  return (
    <div className="min-h-screen md:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
      >
        Skip to content
      </a>
      {/* Sidebar from 768 px; below, a top bar with a menu button. */}
      <aside className="hidden w-60 shrink-0 flex-col border-r border-slate-200 bg-white md:flex dark:border-slate-800 dark:bg-slate-900">
        <div className="flex h-14 items-center gap-2 border-b border-slate-200 px-5 dark:border-slate-800">
          <img src="/favicon.svg" alt="" className="h-7 w-7" />
          <span className="text-lg font-semibold">Herald</span>
        </div>
        {nav}
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
          <div className="flex items-center gap-2 md:hidden">
            <button
              type="button"
              className="rounded-md p-2 hover:bg-slate-100 dark:hover:bg-slate-800"
              aria-expanded={menuOpen}
              aria-controls="mobile-nav"
              onClick={() => setMenuOpen((o) => !o)}
            >
              <Icon name="menu" />
              <span className="sr-only">Menu</span>
            </button>
            <img src="/favicon.svg" alt="" className="h-6 w-6" />
            <span className="font-semibold">Herald</span>
          </div>
          <div className="hidden md:block" />
          <div className="flex items-center gap-3">
            <ThemeSwitch />
            <span
              className="hidden text-sm text-slate-700 sm:inline dark:text-slate-300"
              data-testid="signed-in-as"
            >
              {user?.name || user?.email}{" "}
              <span className="text-slate-500 dark:text-slate-400">· {user?.role}</span>
            </span>
            <button
              type="button"
              onClick={() => void signOut()}
              className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
            >
              <Icon name="logout" className="h-4 w-4" />
              Sign out
            </button>
          </div>
        </header>
        {menuOpen && (
          <div
            id="mobile-nav"
            className="border-b border-slate-200 bg-white md:hidden dark:border-slate-800 dark:bg-slate-900"
          >
            {nav}
          </div>
        )}
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 p-4 md:p-6">
          <Suspense fallback={<LoadingState />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}

import { Link } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { buttonClass } from "../../components/ui/Button";

const features = [
  [
    "Leads",
    "Import a million-row CSV in seconds, search, filter, segment, tag and export — GDPR export and erase included.",
  ],
  [
    "Templates & campaigns",
    "Personalised mail with merge tags, sent through your own SMTP servers with DKIM.",
  ],
  [
    "Tracking & analytics",
    "Opens, clicks, replies, bounces and unsubscribes turned into numbers you can act on.",
  ],
  [
    "Enterprise controls",
    "Roles and permissions, API keys, a hash-chained audit trail, health checks and metrics.",
  ],
];

export function LandingPage() {
  const { status } = useAuth();
  const signedIn = status === "signed_in";
  return (
    <div className="min-h-screen">
      <header className="mx-auto flex max-w-6xl items-center justify-between px-6 py-5">
        <div className="flex items-center gap-2">
          <img src="/favicon.svg" alt="" className="h-8 w-8" />
          <span className="text-xl font-semibold">Herald</span>
        </div>
        <Link to={signedIn ? "/dashboard" : "/signin"} className={buttonClass("secondary")}>
          {signedIn ? "Open Herald" : "Sign in"}
        </Link>
      </header>
      <main>
        <section className="mx-auto max-w-6xl px-6 pt-12 pb-16">
          <h1 className="max-w-3xl text-4xl font-bold tracking-tight sm:text-5xl">
            Outreach you host yourself.
          </h1>
          <p className="mt-5 max-w-2xl text-lg text-slate-700 dark:text-slate-300">
            Herald is a self-hosted outreach platform: import your leads, write templates, send personalised
            campaigns and follow-ups through your own mail servers, and watch every open, click, reply and
            bounce — with the roles, audit trail and operations an enterprise needs. One binary; SQLite on a
            laptop, PostgreSQL and Redis at scale.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link
              to={signedIn ? "/dashboard" : "/signin"}
              className={buttonClass("primary", "md", "px-5 py-2.5 text-base")}
            >
              {signedIn ? "Go to your dashboard" : "Sign in to Herald"}
            </Link>
            <a href="/api/openapi.json" className={buttonClass("secondary", "md", "px-5 py-2.5 text-base")}>
              API description
            </a>
          </div>
        </section>
        <section
          aria-labelledby="features"
          className="border-t border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
        >
          <div className="mx-auto max-w-6xl px-6 py-12">
            <h2 id="features" className="sr-only">
              Features
            </h2>
            <ul className="grid gap-6 sm:grid-cols-2">
              {features.map(([title, text]) => (
                <li key={title} className="rounded-lg border border-slate-200 p-5 dark:border-slate-700">
                  <h3 className="font-semibold">{title}</h3>
                  <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{text}</p>
                </li>
              ))}
            </ul>
          </div>
        </section>
      </main>
      <footer className="mx-auto max-w-6xl px-6 py-8 text-sm text-slate-600 dark:text-slate-400">
        Herald — self-hosted outreach.
      </footer>
    </div>
  );
}

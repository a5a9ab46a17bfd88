import { useState } from "react";
import { settingsApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import type { DkimKey } from "../../api/models";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { TextField } from "../ui/Field";
import { EmptyState, ErrorState, FormErrors, LoadingState } from "../ui/States";
import { useToast } from "../ui/Toast";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/hooks";

function CopyButton({ text, label }: { text: string; label: string }) {
  const toast = useToast();
  return (
    <Button
      size="sm"
      aria-label={label}
      onClick={() =>
        navigator.clipboard?.writeText(text).then(
          () => toast("Copied"),
          () => toast("Copy it by hand", "error"),
        ) ?? toast("Copy it by hand", "error")
      }
    >
      Copy
    </Button>
  );
}

/** The DNS TXT record to publish for a key, with copy buttons. */
export function DnsRecord({ k }: { k: DkimKey }) {
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid={`dkim-record-${k.domain}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="w-12 text-slate-600 dark:text-slate-400">Name</span>
        <code className="font-mono break-all">{k.dns_name}</code>
        <CopyButton text={k.dns_name} label={`Copy the record name for ${k.domain}`} />
      </div>
      <div className="flex flex-wrap items-start gap-2">
        <span className="w-12 text-slate-600 dark:text-slate-400">TXT</span>
        <code className="max-w-full flex-1 rounded bg-slate-100 p-2 font-mono text-xs break-all dark:bg-slate-800">
          {k.dns_txt}
        </code>
        <CopyButton text={k.dns_txt} label={`Copy the TXT value for ${k.domain}`} />
      </div>
    </div>
  );
}

export function DkimPanel() {
  const toast = useToast();
  const keys = useAsync(() => settingsApi.dkimKeys(), []);
  const [domain, setDomain] = useState("");
  const [selector, setSelector] = useState("herald");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fe = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <div className="flex flex-col gap-4">
      <Card title="Generate a DKIM key">
        <form
          className="flex flex-col gap-3"
          aria-label="Generate a DKIM key"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setError(null);
            try {
              const k = await settingsApi.createDkimKey(domain.trim(), selector.trim());
              toast(`Key generated for ${k.domain}: publish its DNS record`);
              setDomain("");
              keys.reload();
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          <p className="max-w-2xl text-sm text-slate-600 dark:text-slate-400">
            Herald makes an RSA-2048 key for the sending domain, keeps the private key encrypted and never
            shows it, and signs every message from that domain once you publish the TXT record below.
          </p>
          <FormErrors error={error} placed={["domain", "selector"]} />
          <div className="flex flex-wrap items-start gap-2">
            <TextField
              label="Sending domain"
              placeholder="acme.example"
              value={domain}
              error={fe.domain}
              onChange={(e) => setDomain(e.target.value)}
            />
            <TextField
              label="Selector"
              value={selector}
              error={fe.selector}
              onChange={(e) => setSelector(e.target.value)}
            />
            <Button type="submit" variant="primary" busy={busy} className="mt-6">
              Generate key
            </Button>
          </div>
        </form>
      </Card>
      <Card title="Keys">
        {keys.error ? (
          <ErrorState error={keys.error} onRetry={keys.reload} />
        ) : !keys.data ? (
          <LoadingState />
        ) : keys.data.items.length === 0 ? (
          <EmptyState title="No DKIM keys">Mail goes out unsigned until a domain has a key.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {keys.data.items.map((k) => (
              <li key={k.domain} className="flex flex-col gap-2 py-3">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-semibold">{k.domain}</span>
                  <Badge tone="indigo">selector {k.selector}</Badge>
                  <Badge tone={k.source === "config" ? "gray" : "green"}>
                    {k.source === "config" ? "from the configuration" : "generated"}
                  </Badge>
                  {k.created_at && (
                    <span className="text-xs text-slate-600 dark:text-slate-400">
                      {formatDateTime(k.created_at)}
                    </span>
                  )}
                  {k.source === "generated" && (
                    <Button
                      size="sm"
                      variant="ghost"
                      className="ml-auto"
                      aria-label={`Delete the key for ${k.domain}`}
                      onClick={async () => {
                        if (
                          !window.confirm(`Delete the DKIM key of ${k.domain}? Its mail goes out unsigned.`)
                        )
                          return;
                        try {
                          await settingsApi.deleteDkimKey(k.domain);
                          toast("Key deleted");
                          keys.reload();
                        } catch (err) {
                          toast(messageOf(err), "error");
                        }
                      }}
                    >
                      Delete
                    </Button>
                  )}
                </div>
                {k.error ? (
                  <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                    {k.error}
                  </p>
                ) : (
                  <DnsRecord k={k} />
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

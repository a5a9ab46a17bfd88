import { AuditPanel } from "../../components/Admin/AuditPanel";
import { PageHeader } from "../../components/ui/Card";

export function AuditLogPage() {
  return (
    <div>
      <PageHeader title="Audit log">
        Every change, sign-in and refusal, append-only and hash-chained.
      </PageHeader>
      <AuditPanel limit={50} title="Entries, newest first" />
    </div>
  );
}

import { AuditPanel } from "../../components/Admin/AuditPanel";
import { QueuesPanel } from "../../components/Admin/QueuesPanel";
import { SystemPanel } from "../../components/Admin/SystemPanel";
import { useAuth } from "../../auth/AuthContext";
import { PageHeader } from "../../components/ui/Card";

export function AdminOverviewPage() {
  const { can } = useAuth();
  return (
    <div>
      <PageHeader title="Admin dashboard">
        Traffic and health of the whole installation, background work and the audit trail.
      </PageHeader>
      <div className="flex flex-col gap-4">
        {can("system:read") && <SystemPanel countCampaigns={can("campaign:read")} />}
        {can("system:read") && <QueuesPanel />}
        {can("audit:read") && <AuditPanel limit={10} title="Recent audit entries" />}
      </div>
    </div>
  );
}

import { AuditPanel } from "../../components/Admin/AuditPanel";
import { HealthPanel } from "../../components/Admin/HealthPanel";
import { QueuesPanel } from "../../components/Admin/QueuesPanel";
import { useAuth } from "../../auth/AuthContext";
import { PageHeader } from "../../components/ui/Card";

export function AdminOverviewPage() {
  const { can } = useAuth();
  return (
    <div>
      <PageHeader title="Admin dashboard">Health, background work and the audit trail.</PageHeader>
      <div className="flex flex-col gap-4">
        {can("system:read") && <HealthPanel />}
        {can("system:read") && <QueuesPanel />}
        {can("audit:read") && <AuditPanel limit={10} title="Recent audit entries" />}
      </div>
    </div>
  );
}

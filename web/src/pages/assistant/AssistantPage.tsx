import { PageHeader } from "../../components/ui/Card";
import { OfflineTools } from "../../components/Assistant/OfflineTools";
import { ProviderTools } from "../../components/Assistant/ProviderTools";

/** The AI Assistant: chat and drafting through the configured provider, and the built-in tools. */
export function AssistantPage() {
  return (
    <div className="space-y-6">
      <PageHeader title="AI Assistant" />
      <ProviderTools />
      <OfflineTools />
    </div>
  );
}

import { ButtonLink } from "../components/ui/Button";
import { EmptyState } from "../components/ui/States";

export function NotFoundPage() {
  return (
    <div className="py-10">
      <h1 className="sr-only">Page not found</h1>
      <EmptyState
        title="There is no page here"
        action={<ButtonLink to="/dashboard">Back to the dashboard</ButtonLink>}
      >
        The address may be mistyped, or the page belongs to a part of Herald that is not installed yet.
      </EmptyState>
    </div>
  );
}

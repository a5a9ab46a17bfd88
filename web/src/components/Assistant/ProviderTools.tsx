/** Chat and the draft generator, through the configured AI provider. */
export function ProviderTools() {
  return <section aria-label="Assistant" />;
}

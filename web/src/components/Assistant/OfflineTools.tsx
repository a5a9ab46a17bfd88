/** The built-in tools that need no provider: message analysis, lead scoring, send times. */
export function OfflineTools() {
  return <section aria-label="Built-in tools" />;
}

/** The addresses typed in a "Send test" field: split on commas, semicolons and white space. */
export function parseAddresses(input: string): string[] {
  return input.split(/[\s,;]+/).filter(Boolean);
}

/**
 * The server's field errors for `emails` and `emails[i]` as one message for the To field,
 * naming each bad address as typed: "not-an-address: is not a valid email address".
 */
export function addressError(fieldErrors: Record<string, string>, sent: string[]): string | undefined {
  const parts: string[] = [];
  if (fieldErrors.emails) parts.push(fieldErrors.emails);
  for (const [field, message] of Object.entries(fieldErrors)) {
    const m = /^emails\[(\d+)\]$/.exec(field);
    if (!m) continue;
    const typed = sent[Number(m[1])];
    parts.push(typed !== undefined ? `${typed}: ${message}` : message);
  }
  return parts.length ? parts.join("; ") : undefined;
}

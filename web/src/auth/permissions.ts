/** True when the user holds every permission in `allOf` and, if given, one of `anyOf`. */
export function allowed(
  held: ReadonlySet<string> | readonly string[],
  need: { allOf?: readonly string[]; anyOf?: readonly string[] } = {},
): boolean {
  const has = (p: string) => (Array.isArray(held) ? held.includes(p) : (held as ReadonlySet<string>).has(p));
  if (need.allOf && !need.allOf.every(has)) return false;
  if (need.anyOf && need.anyOf.length > 0 && !need.anyOf.some(has)) return false;
  return true;
}

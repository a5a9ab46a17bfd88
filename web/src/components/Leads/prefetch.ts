// The next page of leads, fetched while the user reads the current one, kept briefly so that
// "Next" only has to draw. Entries are short-lived and dropped on any change made here.
import type { LeadPage } from "../../api/models";

export const PREFETCH_TTL_MS = 10_000;

export class PageCache {
  private entries = new Map<string, { at: number; page: Promise<LeadPage> }>();
  constructor(private readonly now: () => number = () => Date.now()) {}

  get(key: string): Promise<LeadPage> | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key); // used once: a second visit asks the server again
    return this.now() - e.at <= PREFETCH_TTL_MS ? e.page : undefined;
  }

  put(key: string, page: Promise<LeadPage>) {
    // A failed prefetch is forgotten, never shown.
    page.catch(() => this.entries.delete(key));
    this.entries.set(key, { at: this.now(), page });
    if (this.entries.size > 4) this.entries.delete(this.entries.keys().next().value!);
  }

  clear() {
    this.entries.clear();
  }
}

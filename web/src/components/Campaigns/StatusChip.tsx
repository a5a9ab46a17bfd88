import { Badge } from "../ui/Badge";

const tones = {
  draft: "gray",
  scheduled: "indigo",
  sending: "blue",
  paused: "amber",
  completed: "green",
  cancelled: "gray",
  failed: "red",
  queued: "gray",
  deferred: "amber",
  sent: "green",
  skipped: "gray",
} as const;

/** A campaign's status or a recipient's state as a coloured chip. */
export function StatusChip({ status }: { status: string }) {
  const tone =
    (tones as Record<string, "gray" | "green" | "amber" | "red" | "blue" | "indigo">)[status] ?? "gray";
  return <Badge tone={tone}>{status}</Badge>;
}

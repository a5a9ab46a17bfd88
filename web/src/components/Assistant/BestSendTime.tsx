import { useEffect, useState, type FormEvent } from "react";
import { advisorApi, segmentsApi } from "../../api/endpoints";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { SelectField, TextField } from "../ui/Field";
import { InlineError } from "../ui/States";
import { DAYS, describeBest, heatCells, levelWords, type SendTimes } from "./sendTimes";

/** "Best send time": a lead and/or a segment (or neither: everyone) → the 7×24 heat map. */
export function BestSendTime() {
  const [leadId, setLeadId] = useState("");
  const [segmentId, setSegmentId] = useState("");
  const [segments, setSegments] = useState<{ id: number; name: string }[]>([]);
  const [advice, setAdvice] = useState<SendTimes | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    segmentsApi
      .list()
      .then((p) => setSegments(p.items))
      .catch(() => setSegments([]));
  }, []);
  const show = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const query: { lead_id?: string; segment_id?: string } = {};
      if (leadId.trim()) query.lead_id = leadId.trim();
      if (segmentId) query.segment_id = segmentId;
      setAdvice(await advisorApi.sendTimes(query));
    } catch (err) {
      setError(err);
      setAdvice(null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Best send time">
      <form onSubmit={show} className="flex flex-col gap-3" aria-label="Best send time" noValidate>
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label="Lead ID"
            inputMode="numeric"
            value={leadId}
            hint="Optional: its own history first."
            onChange={(e) => setLeadId(e.target.value)}
          />
          <SelectField label="Segment" value={segmentId} onChange={(e) => setSegmentId(e.target.value)}>
            <option value="">None (everyone)</option>
            {segments.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div>
          <Button type="submit" variant="primary" busy={busy}>
            Show best time
          </Button>
        </div>
      </form>
      <div className="mt-4">
        {error ? <InlineError error={error} /> : advice && <HeatMap advice={advice} />}
      </div>
    </Card>
  );
}

function HeatMap({ advice }: { advice: SendTimes }) {
  const cells = heatCells(advice);
  return (
    <figure className="flex flex-col gap-2">
      <p className="text-sm font-medium" data-testid="best-send-time">
        Best: {describeBest(advice)}.
      </p>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Level: {advice.level} ({levelWords(advice.level)} history; a lead needs {advice.min_events}) · Time
        zone: {advice.tz}
      </p>
      <div className="overflow-x-auto">
        <table
          className="border-separate border-spacing-px text-[10px]"
          aria-label="Opens and replies by hour"
        >
          <thead>
            <tr>
              <th scope="col" className="sr-only">
                Day
              </th>
              {cells[0].map((c) => (
                <th key={c.hour} scope="col" className="w-4 font-normal text-slate-600 dark:text-slate-400">
                  {c.hour % 3 === 0 ? c.hour : <span className="sr-only">{c.hour}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cells.map((row, day) => (
              <tr key={day}>
                <th scope="row" className="pr-1 text-right font-normal text-slate-600 dark:text-slate-400">
                  {DAYS[day].slice(0, 3)}
                </th>
                {row.map((c) => (
                  <td
                    key={c.hour}
                    aria-label={c.label}
                    title={c.label}
                    className={`h-4 w-4 rounded-sm ${c.best ? "outline outline-2 outline-amber-500" : ""}`}
                    style={{ backgroundColor: `rgba(79, 70, 229, ${0.08 + 0.92 * c.intensity})` }}
                  >
                    <span className="sr-only">{c.count}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <figcaption className="text-xs text-slate-600 dark:text-slate-400">
        Opens and replies by day (Monday–Sunday) and hour (0–23, {advice.tz}); darker is more, the outlined
        cell is the best hour.
      </figcaption>
    </figure>
  );
}

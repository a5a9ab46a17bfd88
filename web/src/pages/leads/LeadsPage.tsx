import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { leadsApi, segmentsApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import { useAuth } from "../../auth/AuthContext";
import { BulkDialog, type Selection } from "../../components/Leads/BulkDialog";
import { ColumnChooser } from "../../components/Leads/ColumnChooser";
import { DEFAULT_COLUMNS, resolveColumns } from "../../components/Leads/columns";
import { FilterPanel } from "../../components/Leads/FilterPanel";
import {
  activeFilterCount,
  filtersFromParams,
  filtersToObject,
  filtersToQuery,
  isIdSort,
  nextSort,
  PAGE_SIZES,
  pageFromParams,
  pageRequest,
  toSearchParams,
  type LeadFilters,
  type PageState,
} from "../../components/Leads/filters";
import { LeadForm } from "../../components/Leads/LeadForm";
import { LeadsTable } from "../../components/Leads/LeadsTable";
import { PageCache } from "../../components/Leads/prefetch";
import { Button, ButtonLink } from "../../components/ui/Button";
import { PageHeader } from "../../components/ui/Card";
import { Dialog } from "../../components/ui/Dialog";
import { inputClass, TextField } from "../../components/ui/Field";
import { EmptyState, ErrorState, FormErrors, LoadingState, Spinner } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatNumber, formatTotal } from "../../lib/format";
import { useAsync, useDebounced, useStoredState } from "../../lib/hooks";

export function LeadsPage() {
  const { can } = useAuth();
  const toast = useToast();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const paging = useMemo(() => pageFromParams(params), [params]);
  const [columnKeys, setColumnKeys] = useStoredState<string[]>("herald.leads.columns", DEFAULT_COLUMNS);
  const columns = useMemo(() => resolveColumns(columnKeys), [columnKeys]);
  const [showFilters, setShowFilters] = useState(false);
  const [creating, setCreating] = useState(false);
  const [savingSegment, setSavingSegment] = useState(false);
  const [bulkOpen, setBulkOpen] = useState(false);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [search, setSearch] = useState(filters.q);
  const debouncedSearch = useDebounced(search, 300);

  const update = useCallback(
    (f: LeadFilters, p: Partial<PageState> = {}) => {
      const next: PageState = { ...paging, page: 1, cursor: "", ...p };
      setParams(toSearchParams(f, next));
    },
    [paging, setParams],
  );

  // The URL changed under the box (back button, a link): show its search.
  // (Not while typing there: the URL lags the box by the debounce.)
  useEffect(() => {
    if (document.activeElement?.id !== "lead-search") setSearch(filters.q);
  }, [filters.q]);

  // Search as you type (debounced), back to page 1.
  useEffect(() => {
    if (debouncedSearch !== filters.q) update({ ...filters, q: debouncedSearch });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debouncedSearch]);

  // Cursors seen for this filter and sort, so deep pages can be revisited.
  const filterKey = JSON.stringify([filtersToQuery(filters), paging.sort, paging.pageSize]);
  const cursors = useRef(new Map<number, string>());
  const cursorsKey = useRef(filterKey);
  if (cursorsKey.current !== filterKey) {
    cursorsKey.current = filterKey;
    cursors.current = new Map();
  }
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [filterKey]);

  const prefetched = useRef(new PageCache());
  const queryFor = (page: number, cursor: string) => ({
    ...filtersToQuery(filters),
    sort: paging.sort,
    page,
    page_size: paging.pageSize,
    cursor: cursor || undefined,
  });
  const list = useAsync(
    (signal) => {
      const query = queryFor(paging.page, paging.cursor);
      return prefetched.current.get(JSON.stringify(query)) ?? leadsApi.list(query, signal);
    },
    [filterKey, paging.page, paging.cursor],
  );
  if (list.data?.next_cursor && isIdSort(paging.sort))
    cursors.current.set(list.data.page + 1, String(list.data.next_cursor));
  if (paging.cursor) cursors.current.set(paging.page, paging.cursor);

  // While the user reads this page, fetch the next one.
  const shown = list.data && !list.loading ? list.data : null;
  useEffect(() => {
    if (!shown) return;
    const target = paging.page + 1;
    if ((target - 1) * paging.pageSize >= shown.total && !shown.total_is_lower_bound) return;
    const r = pageRequest(target, paging, cursors.current);
    if (!r) return;
    const query = queryFor(r.page, r.cursor);
    const id = setTimeout(() => prefetched.current.put(JSON.stringify(query), leadsApi.list(query)), 150);
    return () => clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shown]);

  const segments = useAsync(() => segmentsApi.list(), []);
  const total = list.data?.total ?? 0;
  // Past its cap (10,000; 1,000 for a search) the server says "at least": the pages go on while they are full.
  const atLeast = list.data?.total_is_lower_bound ?? false;
  const pages = Math.max(1, Math.ceil(total / paging.pageSize));
  const more = atLeast && (list.data?.items.length ?? 0) === paging.pageSize;
  const go = (target: number) => {
    const r = pageRequest(target, paging, cursors.current);
    if (r) update(filters, { page: r.page, cursor: r.cursor });
  };
  const canGo = (target: number) =>
    target >= 1 &&
    (target <= pages || (more && target === paging.page + 1)) &&
    pageRequest(target, paging, cursors.current) !== null;
  const [jump, setJump] = useState("");

  const toggle = useCallback((id: number) => {
    setAllMatching(false);
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  }, []);
  const toggleAll = (on: boolean) => {
    setAllMatching(false);
    setSelected((s) => {
      const n = new Set(s);
      for (const l of list.data?.items ?? []) {
        if (on) n.add(l.id);
        else n.delete(l.id);
      }
      return n;
    });
  };
  const selection: Selection = allMatching
    ? { filter: filtersToObject(filters, true), count: total, atLeast }
    : { ids: [...selected] };
  const selectedCount = allMatching ? total : selected.size;
  const selectable = can("lead:write");

  const serverFieldErrors = list.error instanceof ApiError ? list.error.fieldErrors : undefined;
  const segment = segments.data?.items.find((s) => String(s.id) === filters.segment_id);

  return (
    <div>
      <PageHeader
        title="Leads"
        actions={
          <>
            <ButtonLink to="/leads/suppressions" variant="ghost">
              Suppressions
            </ButtonLink>
            {can("lead:export") && (
              <Button
                onClick={() =>
                  leadsApi
                    .exportCsv(filtersToQuery(filters))
                    .then((bytes) => toast(`Exported ${formatNumber(bytes)} bytes of CSV`))
                    .catch((e) => toast(messageOf(e), "error"))
                }
              >
                Export CSV
              </Button>
            )}
            {can("lead:import") && <ButtonLink to="/leads/import">Import CSV</ButtonLink>}
            {can("lead:write") && (
              <Button variant="primary" onClick={() => setCreating(true)}>
                New lead
              </Button>
            )}
          </>
        }
      >
        {list.data ? (
          <span data-testid="leads-total">
            {formatTotal(total, atLeast)} leads
            {activeFilterCount(filters) || filters.q || filters.segment_id ? " match" : ""}
          </span>
        ) : (
          " "
        )}
      </PageHeader>

      <div className="mb-3 flex flex-wrap items-end gap-2">
        <div className="min-w-56 flex-1">
          <label htmlFor="lead-search" className="sr-only">
            Search leads
          </label>
          <input
            id="lead-search"
            type="search"
            placeholder="Search email, name or company"
            className={inputClass}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="segment" className="sr-only">
            Segment
          </label>
          <select
            id="segment"
            className={inputClass}
            value={filters.segment_id}
            onChange={(e) => update({ ...filters, segment_id: e.target.value })}
          >
            <option value="">All leads</option>
            {segments.data?.items.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name} ({formatNumber(s.member_count)})
              </option>
            ))}
          </select>
        </div>
        <Button
          onClick={() => setShowFilters((v) => !v)}
          aria-expanded={showFilters}
          aria-controls="lead-filters"
        >
          Filters{activeFilterCount(filters) ? ` (${activeFilterCount(filters)})` : ""}
        </Button>
        {can("lead:write") && (
          <Button
            onClick={() => setSavingSegment(true)}
            disabled={activeFilterCount(filters) === 0 && !filters.q}
          >
            Save as segment
          </Button>
        )}
        {can("lead:write") && segment && (
          <Button
            variant="ghost"
            onClick={async () => {
              if (!window.confirm(`Delete the segment "${segment.name}"? Its leads stay.`)) return;
              try {
                await segmentsApi.remove(segment.id);
                toast(`Deleted segment ${segment.name}`);
                segments.reload();
                update({ ...filters, segment_id: "" });
              } catch (e) {
                toast(messageOf(e), "error");
              }
            }}
          >
            Delete segment
          </Button>
        )}
        <ColumnChooser value={columnKeys} onChange={setColumnKeys} />
      </div>

      {showFilters && (
        <div id="lead-filters" className="mb-4">
          <FilterPanel
            key={filterKey}
            value={filters}
            onApply={(f) => update(f)}
            serverErrors={serverFieldErrors}
          />
        </div>
      )}

      {selectable && selectedCount > 0 && (
        <div
          role="region"
          aria-label="Selection"
          className="mb-3 flex flex-wrap items-center gap-3 rounded-md bg-indigo-50 px-3 py-2 text-sm dark:bg-indigo-950"
        >
          <span>
            <strong>{allMatching ? formatTotal(total, atLeast) : formatNumber(selectedCount)}</strong>{" "}
            selected
            {allMatching ? " (every lead matching the filter)" : ""}
          </span>
          {!allMatching && total > selected.size && (
            <Button size="sm" variant="ghost" onClick={() => setAllMatching(true)}>
              Select all {formatTotal(total, atLeast)} matching
            </Button>
          )}
          <Button size="sm" variant="primary" onClick={() => setBulkOpen(true)}>
            Bulk actions…
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setSelected(new Set());
              setAllMatching(false);
            }}
          >
            Clear selection
          </Button>
        </div>
      )}

      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState label="Loading leads" />
      ) : list.data.items.length === 0 ? (
        <EmptyState
          title={
            total === 0 && !activeFilterCount(filters) && !filters.q && !filters.segment_id
              ? "No leads yet"
              : "No lead matches"
          }
          action={
            can("lead:import") && total === 0 && !activeFilterCount(filters) && !filters.q ? (
              <ButtonLink to="/leads/import" variant="primary">
                Import a CSV
              </ButtonLink>
            ) : undefined
          }
        >
          {activeFilterCount(filters) || filters.q || filters.segment_id
            ? "Change the search or the filters to see more."
            : "Import a CSV file or add leads one by one."}
        </EmptyState>
      ) : (
        <LeadsTable
          leads={list.data.items}
          columns={columns}
          sort={paging.sort}
          onSort={(key) => update(filters, { sort: nextSort(paging.sort, key) })}
          selected={selected}
          onToggle={toggle}
          onToggleAll={toggleAll}
          selectable={selectable}
          busy={list.loading}
        />
      )}

      {list.data && total > 0 && (
        <nav aria-label="Pages" className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm">
          <div className="flex items-center gap-2">
            <span data-testid="page-indicator">
              Page {formatNumber(paging.page)} of {formatTotal(Math.max(pages, paging.page), atLeast)}
            </span>
            {list.loading && <Spinner label="Loading" />}
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <label className="flex items-center gap-1">
              <span>Rows</span>
              <select
                className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
                value={paging.pageSize}
                onChange={(e) => update(filters, { pageSize: Number(e.target.value) })}
              >
                {PAGE_SIZES.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <Button size="sm" onClick={() => go(1)} disabled={paging.page === 1}>
              First
            </Button>
            <Button size="sm" onClick={() => go(paging.page - 1)} disabled={!canGo(paging.page - 1)}>
              Previous
            </Button>
            <Button size="sm" onClick={() => go(paging.page + 1)} disabled={!canGo(paging.page + 1)}>
              Next
            </Button>
            <Button
              size="sm"
              onClick={() => go(pages)}
              disabled={atLeast || paging.page === pages || !canGo(pages)}
              title={
                atLeast
                  ? `Over ${formatNumber(total)} leads match: the last page is not known`
                  : canGo(pages)
                    ? undefined
                    : "Deep pages are reached page by page"
              }
            >
              Last
            </Button>
            <form
              className="flex items-center gap-1"
              onSubmit={(e) => {
                e.preventDefault();
                const n = Number.parseInt(jump, 10);
                if (canGo(n)) go(n);
                else
                  toast(
                    `Page ${jump} cannot be opened directly: pages past ${formatNumber(100000)} leads are reached with Next (newest or oldest first).`,
                    "error",
                  );
              }}
            >
              <label htmlFor="jump" className="sr-only">
                Go to page
              </label>
              <input
                id="jump"
                inputMode="numeric"
                placeholder="Page"
                value={jump}
                onChange={(e) => setJump(e.target.value)}
                className="w-20 rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
              />
              <Button size="sm" type="submit">
                Go
              </Button>
            </form>
          </div>
        </nav>
      )}

      <Dialog open={creating} onClose={() => setCreating(false)} title="New lead" wide>
        <LeadForm
          onCancel={() => setCreating(false)}
          onSubmit={async (body) => {
            const lead = await leadsApi.create(body);
            setCreating(false);
            toast(`Created ${lead.email}`);
            navigate(`/leads/${lead.id}`);
          }}
        />
      </Dialog>

      <SaveSegmentDialog
        open={savingSegment}
        onClose={() => setSavingSegment(false)}
        filters={filters}
        onSaved={(id, name) => {
          setSavingSegment(false);
          toast(`Saved segment ${name}`);
          segments.reload();
          update({ ...filters, segment_id: String(id) });
        }}
      />

      {bulkOpen && (
        <BulkDialog
          open={bulkOpen}
          onClose={() => setBulkOpen(false)}
          selection={selection}
          onDone={(msg) => {
            setBulkOpen(false);
            setSelected(new Set());
            setAllMatching(false);
            toast(msg);
            prefetched.current.clear();
            list.reload();
          }}
        />
      )}
    </div>
  );
}

function SaveSegmentDialog({
  open,
  onClose,
  filters,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  filters: LeadFilters;
  onSaved: (id: number, name: string) => void;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fe = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <Dialog open={open} onClose={onClose} title="Save as segment">
      <form
        className="flex flex-col gap-4"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            const s = await segmentsApi.create({
              name: name.trim(),
              description,
              filter: filtersToObject(filters),
            });
            setName("");
            setDescription("");
            onSaved(s.id, s.name);
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <FormErrors error={error} placed={["name", "description"]} />
        <TextField
          label="Name"
          value={name}
          error={fe.name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <TextField
          label="Description"
          value={description}
          error={fe.description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Saves the current search and filters:{" "}
          <code className="break-all">{JSON.stringify(filtersToObject(filters))}</code>
        </p>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save segment
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

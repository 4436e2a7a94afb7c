import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import QueueViews from '../../auth/components/QueueViews';
import { useShownOnNarrow } from '../../../lib/useMediaQuery';
import { useScrollRestoration } from '../../../lib/useScrollRestoration';
import QueueWorkspace from '../../queue/components/QueueWorkspace';
import { useOrdering } from '../../queue/hooks/useOrdering';
import StatsPanel from '../../stats/components/StatsPanel';
import TriagePanel from '../../triage/components/TriagePanel';
import { useStats } from '../../stats/hooks/useStats';
import Filters from '../components/Filters';
import TicketForm from '../components/TicketForm';
import TicketList from '../components/TicketList';
import { hasActiveFilters, listQuery } from '../filters';
import { useClassify } from '../hooks/useClassify';
import { useLiveArrivals } from '../../live/hooks/useLiveArrivals';
import { useSearchTerm } from '../hooks/useSearchTerm';
import { useTicketList } from '../hooks/useTicketList';
import { useTicketMeta } from '../hooks/useTicketMeta';
import { useCreateTicket, useUpdateTicket } from '../hooks/useTicketMutations';
import { useUrlFilters } from '../hooks/useUrlFilters';

export const SEARCH_DEBOUNCE_MS = 350;

/** The queue at `/`: statistics, the new-ticket form, and the filtered list. */
export default function QueuePage() {
  const meta = useTicketMeta();
  const { filters, settled: filtersSettled, updateFilters, clearFilters } = useUrlFilters(meta.data);
  const { ordering, param: orderingParam, setOrdering } = useOrdering();
  // Clearing the search applies at once; typing waits for a pause and 3 characters; Enter applies any text.
  const {
    term: search,
    tooShort: searchTooShort,
    submit: submitSearch,
  } = useSearchTerm(filters.search, SEARCH_DEBOUNCE_MS);
  const { category, priority, status, assignee } = filters;
  const query = useMemo(
    () => listQuery({ category, priority, status, assignee }, search, orderingParam),
    [category, priority, status, assignee, search, orderingParam],
  );
  const filtersActive = hasActiveFilters(filters);

  // A list filtered by a choice waits for the choices, which say whether the URL's value is valid.
  const tickets = useTicketList(query, { enabled: filtersSettled });
  useScrollRestoration(tickets.tickets.length > 0);
  const stats = useStats();
  const classifier = useClassify();
  const { create } = useCreateTicket(query);
  const { update, rowState, dismissError } = useUpdateTicket();
  const [hiddenTicket, setHiddenTicket] = useState(null);
  // On a narrow screen the form opens from a button (the stylesheet shows the
  // button there only); wider screens always show it.
  const [formOpen, setFormOpen] = useState(false);
  // Built once first opened there, and kept (with what was typed) when closed again.
  const [formOpened, setFormOpened] = useState(false);
  if (formOpen && !formOpened) setFormOpened(true);
  const formShown = useShownOnNarrow(formOpened);
  const formId = useId();
  const { arrivals, noteOwnCreate } = useLiveArrivals(query, tickets, stats.stats?.total_tickets);

  // The cards show the choices' labels: until those are in, the list shows its placeholders.
  const metaFailed = meta.isError && !meta.isFetching;
  let listStatus = tickets.status;
  if (metaFailed) listStatus = 'error';
  else if (!meta.data) listStatus = 'loading';
  const listError = metaFailed ? meta.error : tickets.error;
  const { refetch: refetchMeta } = meta;
  const { reload: reloadTickets } = tickets;
  const ticketsFailed = tickets.status === 'error';
  const retryList = useCallback(() => {
    if (!metaFailed) return reloadTickets();
    // Both may have failed (the list does not wait for the choices unless filtered by one).
    return Promise.all([refetchMeta(), ticketsFailed ? reloadTickets() : null]);
  }, [metaFailed, ticketsFailed, refetchMeta, reloadTickets]);

  // When the API comes back (the statistics poll succeeds again), reload a list
  // that failed because it could not be reached, so the page recovers by itself.
  // It runs on each statistics update only, hence the one dependency.
  const listUnreachable = listStatus === 'error' && Boolean(listError?.isNetworkError);
  useEffect(() => {
    if (listUnreachable && stats.status === 'ready') retryList();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stats.dataUpdatedAt]);

  const handleCreate = useCallback(
    async (fields) => {
      const result = await create(fields);
      noteOwnCreate();
      setHiddenTicket(result.visible ? null : result.ticket);
      return result;
    },
    [create, noteOwnCreate],
  );

  const handleClearFilters = useCallback(() => {
    clearFilters();
    setHiddenTicket(null);
  }, [clearFilters]);

  return (
    <main className="layout">
      <div className={`layout__form${formOpen ? ' is-open' : ''}`}>
        <button
          type="button"
          className="button button--primary layout__form-toggle"
          aria-expanded={formOpen}
          aria-controls={formId}
          onClick={() => setFormOpen((value) => !value)}
        >
          {formOpen ? 'Close the new-ticket form' : 'New ticket'}
        </button>
        {formShown ? (
          <TicketForm
            formId={formId}
            autoFocus={formOpen}
            classification={classifier}
            onDescriptionSettled={classifier.classify}
            onSubmit={handleCreate}
            onReset={classifier.reset}
          />
        ) : null}
      </div>

      <div className="layout__list">
        <QueueViews assignee={filters.assignee} />
        <Filters
          filters={filters}
          active={filtersActive}
          onChange={updateFilters}
          onClear={handleClearFilters}
          searchTooShort={searchTooShort}
          onSearchSubmit={submitSearch}
        />
        {hiddenTicket ? (
          <div className="notice" role="status">
            <span>Ticket #{hiddenTicket.id} was created but the current filters hide it.</span>
            <button type="button" className="link-button" onClick={handleClearFilters}>
              Clear filters
            </button>
          </div>
        ) : null}
        {arrivals > 0 ? (
          <div className="notice" role="status">
            <span>
              {arrivals === 1 ? '1 new ticket has' : `${arrivals} new tickets have`} arrived since the list was loaded.
            </span>
            <button type="button" className="link-button" onClick={tickets.reload}>
              Show new tickets
            </button>
          </div>
        ) : null}
        <QueueWorkspace filters={query} ordering={ordering} onOrderingChange={setOrdering} tickets={tickets.tickets}>
          <TicketList
            tickets={tickets.tickets}
            status={listStatus}
            error={listError}
            hasMore={tickets.hasMore}
            loadingMore={tickets.loadingMore}
            loadMoreError={tickets.loadMoreError}
            rowState={rowState}
            filtersActive={filtersActive}
            totalTickets={stats.stats?.total_tickets ?? null}
            onLoadMore={tickets.loadMore}
            onRetry={retryList}
            onChangeTicket={update}
            onDismissError={dismissError}
            onClearFilters={handleClearFilters}
          />
        </QueueWorkspace>
      </div>
      {/* After the form and the list in the page's order, as on a wide screen, so Tab follows what
          the eye sees; the grid still puts the statistics first on a phone. */}
      <div className="layout__stats">
        <StatsPanel
          stats={stats.stats}
          status={stats.status}
          error={stats.error}
          updatedAt={stats.updatedAt}
          onRetry={stats.refresh}
        />
        <TriagePanel />
      </div>
    </main>
  );
}

import { useCallback, useEffect, useMemo, useState } from 'react';
import { API_URL } from './config';
import Filters from './components/Filters';
import StatsPanel from './components/StatsPanel';
import TicketForm from './components/TicketForm';
import TicketList from './components/TicketList';
import { useClassify } from './hooks/useClassify';
import { useDebouncedValue } from './hooks/useDebouncedValue';
import { useNewArrivals } from './hooks/useNewArrivals';
import { useStats } from './hooks/useStats';
import { useTickets } from './hooks/useTickets';
import { hasActiveFilters, useUrlFilters } from './hooks/useUrlFilters';

export const SEARCH_DEBOUNCE_MS = 350;

export default function App() {
  const { filters, updateFilters, clearFilters } = useUrlFilters();
  const debouncedSearch = useDebouncedValue(filters.search, SEARCH_DEBOUNCE_MS);
  // Clearing the search applies at once; typing waits for a pause.
  const search = filters.search === '' ? '' : debouncedSearch;
  const query = useMemo(
    () => ({ category: filters.category, priority: filters.priority, status: filters.status, search }),
    [filters.category, filters.priority, filters.status, search],
  );
  const filtersActive = hasActiveFilters(filters);

  const tickets = useTickets(query);
  const stats = useStats();
  const classifier = useClassify();
  const [hiddenTicket, setHiddenTicket] = useState(null);
  const { arrivals, noteOwnCreate } = useNewArrivals(stats.stats?.total_tickets, tickets.version);

  const { create, update, reload: reloadTickets } = tickets;
  const { refresh: refreshStats } = stats;

  // When the API comes back (the statistics poll succeeds again), reload a list
  // that failed because it could not be reached, so the page recovers by itself.
  // It runs on each statistics update only, hence the one dependency.
  const listUnreachable = tickets.status === 'error' && Boolean(tickets.error?.isNetworkError);
  useEffect(() => {
    if (listUnreachable && stats.status === 'ready') reloadTickets();
  }, [stats.updatedAt]);

  const handleCreate = useCallback(async (fields) => {
    const result = await create(fields);
    noteOwnCreate();
    setHiddenTicket(result.visible ? null : result.ticket);
    refreshStats();
    return result;
  }, [create, refreshStats, noteOwnCreate]);

  const handleChangeTicket = useCallback(async (id, changes) => {
    await update(id, changes);
    refreshStats();
  }, [update, refreshStats]);

  const handleClearFilters = useCallback(() => {
    clearFilters();
    setHiddenTicket(null);
  }, [clearFilters]);

  return (
    <div className="app">
      <header className="app-header">
        <div className="app-header__brand">
          <span className="app-header__logo" aria-hidden="true" />
          <h1>Support Desk</h1>
        </div>
        <p className="app-header__api" title="Ticket API">{API_URL.replace(/^https?:\/\//, '')}</p>
      </header>

      <main className="layout">
        <div className="layout__stats">
          <StatsPanel
            stats={stats.stats}
            status={stats.status}
            error={stats.error}
            updatedAt={stats.updatedAt}
            onRetry={stats.refresh}
          />
        </div>

        <div className="layout__form">
          <TicketForm
            classification={classifier}
            onDescriptionSettled={classifier.classify}
            onSubmit={handleCreate}
            onReset={classifier.reset}
          />
        </div>

        <div className="layout__list">
          <Filters
            filters={filters}
            active={filtersActive}
            onChange={updateFilters}
            onClear={handleClearFilters}
          />
          {hiddenTicket ? (
            <div className="notice" role="status">
              <span>
                Ticket #{hiddenTicket.id} was created but the current filters hide it.
              </span>
              <button type="button" className="link-button" onClick={handleClearFilters}>Clear filters</button>
            </div>
          ) : null}
          {arrivals > 0 ? (
            <div className="notice" role="status">
              <span>
                {arrivals === 1 ? '1 new ticket has' : `${arrivals} new tickets have`} arrived since the list was loaded.
              </span>
              <button type="button" className="link-button" onClick={tickets.reload}>Show new tickets</button>
            </div>
          ) : null}
          <TicketList
            tickets={tickets.tickets}
            status={tickets.status}
            error={tickets.error}
            hasMore={tickets.hasMore}
            loadingMore={tickets.loadingMore}
            loadMoreError={tickets.loadMoreError}
            rowState={tickets.rowState}
            filtersActive={filtersActive}
            totalTickets={stats.stats?.total_tickets ?? null}
            onLoadMore={tickets.loadMore}
            onRetry={tickets.reload}
            onChangeTicket={handleChangeTicket}
            onDismissError={tickets.dismissError}
            onClearFilters={handleClearFilters}
          />
        </div>
      </main>
    </div>
  );
}

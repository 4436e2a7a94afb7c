import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { PREFETCH_FRESH_MS } from '../../../lib/queryClient';
import { filterParams, listTickets } from '../api';
import { ticketKeys } from '../queryKeys';

// Numbers each load of a first page, so a reload is told apart from an
// identical earlier answer.
let firstPageLoads = 0;

async function fetchPage(params, cursor, signal) {
  const page = await listTickets({ filters: params, cursor, signal });
  if (cursor) return page;
  firstPageLoads += 1;
  return { ...page, loadNumber: firstPageLoads };
}

function uniqueTickets(pages) {
  const seen = new Set();
  const tickets = [];
  for (const page of pages) {
    for (const ticket of page.results) {
      if (!seen.has(ticket.id)) {
        seen.add(ticket.id);
        tickets.push(ticket);
      }
    }
  }
  return tickets;
}

/** The list query for the API's `params` (see filterParams), shared by the hook and the prefetch. */
function ticketListQuery(params) {
  return {
    queryKey: ticketKeys.list(params),
    queryFn: ({ pageParam, signal }) => fetchPage(params, pageParam, signal),
    initialPageParam: null,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    staleTime: PREFETCH_FRESH_MS,
  };
}

/** Ask for the first page of the list for `filters` before the queue's code has arrived. */
export function prefetchTicketList(queryClient, filters) {
  const options = ticketListQuery(filterParams(filters));
  if (queryClient.getQueryData(options.queryKey) === undefined) queryClient.prefetchInfiniteQuery(options);
}

/**
 * The ticket list for the given filters, a page at a time in the API's cursor
 * mode. While new filters load, the previous list stays on screen, marked stale.
 *
 * status: 'loading' (first page or a reload running) | 'ready' | 'error'.
 * version: changes with each completed load of the first page (not of further pages).
 */
export function useTicketList(filters, { enabled = true } = {}) {
  const queryClient = useQueryClient();
  const options = ticketListQuery(filterParams(filters));
  const { queryKey } = options;
  // The queue's route asks for the first list (again, if it had failed) before the page
  // mounts: the page shows what that brought, a failure included, instead of asking twice.
  const query = useInfiniteQuery({ ...options, placeholderData: keepPreviousData, enabled, retryOnMount: false });

  const tickets = useMemo(() => (query.data ? uniqueTickets(query.data.pages) : []), [query.data]);
  const reloading = query.isFetching && !query.isFetchingNextPage;
  const failed = query.isError && !query.isFetchNextPageError;
  let status = 'loading';
  if (!reloading && failed) status = 'error';
  else if (!reloading && query.data) status = 'ready';

  const version = query.data?.pages[0]?.loadNumber ?? 0;

  const { fetchNextPage, refetch, hasNextPage, isFetching } = query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetching) fetchNextPage();
  }, [hasNextPage, isFetching, fetchNextPage]);

  // A reload starts again from the newest tickets: only the first page is fetched.
  const keyHash = JSON.stringify(queryKey);
  const reload = useCallback(() => {
    const key = JSON.parse(keyHash);
    queryClient.setQueryData(key, (data) =>
      data ? { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) } : data,
    );
    return refetch();
  }, [queryClient, keyHash, refetch]);

  return {
    tickets,
    status,
    error: failed ? query.error : null,
    hasMore: Boolean(hasNextPage),
    loadingMore: query.isFetchingNextPage,
    loadMoreError: query.isFetchNextPageError && !query.isFetchingNextPage ? query.error : null,
    version,
    loadMore,
    reload,
  };
}

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDebouncedValue } from '../../../lib/useDebouncedValue';
import { getSimilarTickets } from '../api';
import { triageKeys } from '../queryKeys';
import { hasSearchableWord } from '../searchText';

// Look up once typing has paused this long, and only for texts this long.
export const SIMILAR_DEBOUNCE_MS = 400;
export const MIN_SIMILAR_CHARS = 12;

/** The text worth comparing, or '' when it is too short to say anything. */
export function similarText(text) {
  const trimmed = (text || '').trim().replace(/\s+/g, ' ');
  return trimmed.length >= MIN_SIMILAR_CHARS && hasSearchableWord(trimmed) ? trimmed : '';
}

/**
 * Past tickets like the text being typed, once typing pauses. A lookup for a
 * text that has since changed is cancelled (its query loses its observer, and
 * the request its signal). status: 'idle' | 'loading' | 'ready' | 'error'.
 */
export function useSimilarTickets(text, { delayMs = SIMILAR_DEBOUNCE_MS } = {}) {
  const settled = useDebouncedValue(similarText(text), delayMs);
  // A text cut below the minimum hides the list at once, without waiting.
  const wanted = similarText(text) === '' ? '' : settled;
  const query = useQuery({
    queryKey: triageKeys.similar(wanted),
    queryFn: ({ signal }) => getSimilarTickets(wanted, { signal }),
    enabled: wanted !== '',
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
  let status = 'idle';
  if (wanted === '') status = 'idle';
  else if (query.isError && !query.isFetching) status = 'error';
  else if (query.data && !query.isPlaceholderData) status = 'ready';
  else status = 'loading';
  return {
    status,
    tickets: wanted && query.data ? query.data : [],
    error: query.error,
    retry: query.refetch,
  };
}

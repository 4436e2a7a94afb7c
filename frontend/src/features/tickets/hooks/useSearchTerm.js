import { useCallback, useState } from 'react';
import { useDebouncedValue } from '../../../lib/useDebouncedValue';
import { hasSearchableWord } from '../../triage/searchText';

/**
 * The search the list applies for what is in the search box. While the agent
 * types it follows the box once typing pauses, but only for a text holding a
 * word of 3 characters or more (shorter words cannot use the API's indexes);
 * `submit()` (Enter) applies any text at once. A search from the URL counts as
 * submitted. tooShort: the box holds a text that is not applied yet for that reason.
 */
export function useSearchTerm(search, delayMs) {
  const [submitted, setSubmitted] = useState(search);
  const debounced = useDebouncedValue(search, delayMs);
  const submit = useCallback(() => setSubmitted(search), [search]);

  let term = '';
  if (search === '') term = '';
  else if (search === submitted) term = search;
  else if (hasSearchableWord(debounced)) term = debounced;
  const tooShort = search.trim() !== '' && search !== submitted && !hasSearchableWord(search);
  return { term, tooShort, submit };
}

import { useComments } from '../../comments/hooks/useComments';
import { useHistory } from './useHistory';

/**
 * A ticket's comments and history, the two halves of its timeline. `settled` once both
 * have answered (with data or an error).
 */
export function useActivity(ticketId) {
  const comments = useComments(ticketId);
  const history = useHistory(ticketId);
  return { comments, history, settled: !comments.isPending && !history.isPending };
}

import { lazy, Suspense } from 'react';
import { useTicketMeta } from '../hooks/useTicketMeta';

const QueuePage = lazy(() => import('./QueuePage'));

/**
 * `/`. The queue's code is a chunk of its own, so the other pages do not download it; the
 * choices, which the list waits for, are asked for while it downloads.
 */
export default function QueueRoute() {
  useTicketMeta();
  return (
    <Suspense fallback={null}>
      <QueuePage />
    </Suspense>
  );
}

import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, useEffect, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import AppLayout from './components/AppLayout';
import SessionRedirect from './features/auth/components/SessionRedirect';
import QueueRoute from './features/tickets/routes/QueueRoute';
import TicketRoute from './features/tickets/routes/TicketRoute';
import { prepareFormats } from './lib/format';
import { createQueryClient } from './lib/queryClient';
import { TICKET_PATH } from './prefetch';

// Every page is a chunk of its own, downloaded when first shown (the queue's and the ticket
// page's by their routes, which ask for their first data meanwhile).
const SignInPage = lazy(() => import('./features/auth/routes/SignInPage'));
const TokensPage = lazy(() => import('./features/auth/routes/TokensPage'));
const NotFoundPage = lazy(() => import('./components/NotFoundPage'));

/** The app; `queryClient` is the one main.jsx has already asked for the first page's data with. */
export default function App({ queryClient: given }) {
  const [queryClient] = useState(() => given ?? createQueryClient());
  // Once the first screen is up, while its data is on its way (see lib/format.js).
  useEffect(() => {
    const timer = setTimeout(prepareFormats);
    return () => clearTimeout(timer);
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <SessionRedirect />
        <Routes>
          <Route element={<AppLayout />}>
            <Route index element={<QueueRoute />} />
            <Route path={TICKET_PATH} element={<TicketRoute />} />
            <Route path="sign-in" element={<SignInPage />} />
            <Route path="settings/tokens" element={<TokensPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}

import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import AppLayout from './components/AppLayout';
import SessionRedirect from './features/auth/components/SessionRedirect';
import QueuePage from './features/tickets/routes/QueuePage';
import TicketRoute from './features/tickets/routes/TicketRoute';
import { createQueryClient } from './lib/queryClient';

// The queue, where the app opens, is in the main bundle; the other pages are chunks of
// their own (the ticket page's is loaded by TicketRoute), downloaded when first shown.
const SignInPage = lazy(() => import('./features/auth/routes/SignInPage'));
const TokensPage = lazy(() => import('./features/auth/routes/TokensPage'));
const NotFoundPage = lazy(() => import('./components/NotFoundPage'));

export default function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <SessionRedirect />
        <Routes>
          <Route element={<AppLayout />}>
            <Route index element={<QueuePage />} />
            <Route path="tickets/:id" element={<TicketRoute />} />
            <Route path="sign-in" element={<SignInPage />} />
            <Route path="settings/tokens" element={<TokensPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}

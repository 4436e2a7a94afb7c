import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import AppLayout from './components/AppLayout';
import SessionRedirect from './features/auth/components/SessionRedirect';
import SignInPage from './features/auth/routes/SignInPage';
import TokensPage from './features/auth/routes/TokensPage';
import NotFoundPage from './components/NotFoundPage';
import QueuePage from './features/tickets/routes/QueuePage';
import TicketPage from './features/tickets/routes/TicketPage';
import { createQueryClient } from './lib/queryClient';

export default function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <SessionRedirect />
        <Routes>
          <Route element={<AppLayout />}>
            <Route index element={<QueuePage />} />
            <Route path="tickets/:id" element={<TicketPage />} />
            <Route path="sign-in" element={<SignInPage />} />
            <Route path="settings/tokens" element={<TokensPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}

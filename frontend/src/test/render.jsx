import { QueryClientProvider } from '@tanstack/react-query';
import { render, renderHook } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { ticketKeys } from '../features/tickets/queryKeys';
import { createQueryClient } from '../lib/queryClient';
import { META } from './fixtures';

/** A fresh query client that already holds the field choices, as after GET /api/meta/. */
export function createTestQueryClient({ meta = META } = {}) {
  const queryClient = createQueryClient();
  if (meta) queryClient.setQueryData(ticketKeys.meta(), meta);
  return queryClient;
}

function providers(queryClient, route) {
  return function Providers({ children }) {
    return (
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[route]}>{children}</MemoryRouter>
      </QueryClientProvider>
    );
  };
}

/** Render a piece of the app with the providers App gives it. */
export function renderWithProviders(ui, { queryClient = createTestQueryClient(), route = '/' } = {}) {
  return { queryClient, ...render(ui, { wrapper: providers(queryClient, route) }) };
}

export function renderHookWithProviders(hook, { queryClient = createTestQueryClient(), route = '/' } = {}) {
  return { queryClient, ...renderHook(hook, { wrapper: providers(queryClient, route) }) };
}

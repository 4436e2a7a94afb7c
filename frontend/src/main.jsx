import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './App';
import { installSession } from './features/auth/session';
import { http } from './lib/apiClient';
import { createQueryClient } from './lib/queryClient';
import { prefetchPage } from './prefetch';
import './styles.css';

installSession(http);

// The first page's data is asked for now, while the app renders for the first time.
const queryClient = createQueryClient();
prefetchPage(queryClient, window.location);

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App queryClient={queryClient} />
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './App';
import { installSession } from './features/auth/session';
import { http } from './lib/apiClient';
import './styles.css';

installSession(http);

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

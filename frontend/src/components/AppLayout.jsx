import { Suspense } from 'react';
import { Link, Outlet } from 'react-router-dom';
import UserMenu from '../features/auth/components/UserMenu';
import LiveIndicator from '../features/live/components/LiveIndicator';
import LiveProvider from '../features/live/components/LiveProvider';
import { API_URL } from '../lib/config';

/** The frame around every page: the header, then the page itself. */
export default function AppLayout() {
  return (
    <LiveProvider>
      <div className="app">
        <header className="app-header">
          <Link to="/" className="app-header__brand">
            <span className="app-header__logo" aria-hidden="true" />
            <h1>Support Desk</h1>
          </Link>
          <p className="app-header__api" title="Ticket API">
            {API_URL.replace(/^https?:\/\//, '')}
          </p>
          <LiveIndicator />
          <UserMenu />
        </header>
        {/* A page whose code is still downloading shows nothing below the header meanwhile. */}
        <Suspense fallback={null}>
          <Outlet />
        </Suspense>
      </div>
    </LiveProvider>
  );
}

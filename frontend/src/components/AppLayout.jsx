import { Link, Outlet } from 'react-router-dom';
import UserMenu from '../features/auth/components/UserMenu';
import { API_URL } from '../lib/config';

/** The frame around every page: the header, then the page itself. */
export default function AppLayout() {
  return (
    <div className="app">
      <header className="app-header">
        <Link to="/" className="app-header__brand">
          <span className="app-header__logo" aria-hidden="true" />
          <h1>Support Desk</h1>
        </Link>
        <p className="app-header__api" title="Ticket API">
          {API_URL.replace(/^https?:\/\//, '')}
        </p>
        <UserMenu />
      </header>
      <Outlet />
    </div>
  );
}

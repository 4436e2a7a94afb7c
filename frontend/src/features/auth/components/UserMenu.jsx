import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useMe, useSignOut } from '../hooks/useSession';
import { SIGN_IN_PATH, signInLocation } from '../session';
import './auth.css';

/** Who is signed in, with their tokens and a sign-out control; or a sign-in link. */
export default function UserMenu() {
  const { agent, isLoading } = useMe();
  const signOut = useSignOut();
  const location = useLocation();
  const navigate = useNavigate();

  if (isLoading) return <div className="user-menu" aria-hidden="true" />;
  if (!agent) {
    if (location.pathname === SIGN_IN_PATH) return <div className="user-menu" />;
    return (
      <nav className="user-menu" aria-label="Account">
        <Link className="user-menu__link" to={signInLocation(location)}>
          Sign in
        </Link>
      </nav>
    );
  }
  const handleSignOut = () =>
    signOut.mutate(undefined, {
      onSettled: () => navigate(SIGN_IN_PATH, { replace: true, state: { signedOut: true } }),
    });
  return (
    <nav className="user-menu" aria-label="Account">
      <span className="user-menu__who">
        Signed in as <strong>{agent.name || agent.username}</strong>
      </span>
      <Link className="user-menu__link" to="/settings/tokens">
        API tokens
      </Link>
      <button type="button" className="button button--ghost" onClick={handleSignOut} disabled={signOut.isPending}>
        Sign out
      </button>
    </nav>
  );
}

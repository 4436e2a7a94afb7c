import { useEffect, useId, useRef, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useSignIn } from '../hooks/useSession';
import { safeNextPath } from '../session';
import '../components/auth.css';

/** `/sign-in`: the agent signs in, then returns to the page that asked (`?next=`). */
export default function SignInPage() {
  const id = useId();
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const usernameRef = useRef(null);
  const next = safeNextPath(searchParams.get('next'));

  useEffect(() => {
    usernameRef.current?.focus();
  }, []);

  const handleSubmit = (event) => {
    event.preventDefault();
    if (!username || !password) return;
    signIn.mutate(
      { username, password },
      {
        onSuccess: () => navigate(next, { replace: true }),
        onError: () => setPassword(''),
      },
    );
  };

  const error = signIn.error;
  return (
    <main className="auth-page">
      <form className="card auth-card" aria-labelledby={`${id}-title`} onSubmit={handleSubmit}>
        <h2 id={`${id}-title`}>Sign in</h2>
        {location.state?.signedOut && !error ? (
          <p className="auth-card__note" role="status">
            You have signed out.
          </p>
        ) : null}
        {next !== '/' && !location.state?.signedOut ? <p className="auth-card__note">Sign in to continue.</p> : null}
        <div className="field">
          <label htmlFor={`${id}-username`}>Username</label>
          <input
            ref={usernameRef}
            id={`${id}-username`}
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <p className="field-error auth-card__error" role="alert">
          {error ? error.message : ''}
        </p>
        <button type="submit" className="button button--primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

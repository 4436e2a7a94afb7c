import { useId, useState } from 'react';
import ErrorState from '../../../components/ErrorState';
import { formatFull } from '../../../lib/format';
import { useCreateToken, useRevokeToken, useTokens } from '../hooks/useTokens';
import '../components/auth.css';

/** The end of the chosen day, local time, as the API's ISO timestamp; null for no expiry. */
export function expiryFromDate(date) {
  if (!date) return null;
  const [year, month, day] = date.split('-').map(Number);
  return new Date(year, month - 1, day, 23, 59, 59).toISOString();
}

function NewKey({ token, onDone }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.key);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="notice new-key" aria-label="New token key">
      <p>
        <strong>Copy the key of “{token.name}” now: it is not shown again.</strong> Anyone with it can act as you; keep
        it secret.
      </p>
      <div className="new-key__row">
        <code className="new-key__value" aria-label="Token key">
          {token.key}
        </code>
        <button type="button" className="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="link-button" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

function CreateTokenForm({ onCreated }) {
  const id = useId();
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('');
  const today = new Date();
  const minDate = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;

  const handleSubmit = (event) => {
    event.preventDefault();
    if (!name.trim()) return;
    create.mutate(
      { name: name.trim(), expiry: expiryFromDate(expiry) },
      {
        onSuccess: (token) => {
          setName('');
          setExpiry('');
          onCreated(token);
        },
      },
    );
  };
  const fieldErrors = create.error?.fieldErrors || {};
  return (
    <form className="card token-form" aria-label="New API token" onSubmit={handleSubmit}>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          required
          maxLength={100}
          value={name}
          placeholder="e.g. ci"
          aria-invalid={fieldErrors.name ? 'true' : undefined}
          onChange={(e) => setName(e.target.value)}
        />
        {fieldErrors.name ? <p className="field-error">{fieldErrors.name}</p> : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-expiry`}>Expires (optional)</label>
        <input
          id={`${id}-expiry`}
          type="date"
          min={minDate}
          value={expiry}
          aria-invalid={fieldErrors.expiry ? 'true' : undefined}
          onChange={(e) => setExpiry(e.target.value)}
        />
        {fieldErrors.expiry ? <p className="field-error">{fieldErrors.expiry}</p> : null}
      </div>
      <button type="submit" className="button button--primary" disabled={create.isPending}>
        Create token
      </button>
      {create.error && !Object.keys(fieldErrors).length ? (
        <p className="field-error" role="alert">
          {create.error.message}
        </p>
      ) : null}
    </form>
  );
}

function TokenRow({ token }) {
  const revoke = useRevokeToken();
  return (
    <tr>
      <th scope="row">{token.name}</th>
      <td>{formatFull(token.created)}</td>
      <td>{token.expiry ? formatFull(token.expiry) : 'Never'}</td>
      <td>
        <button
          type="button"
          className="button button--ghost"
          aria-label={`Revoke ${token.name}`}
          disabled={revoke.isPending}
          onClick={() => revoke.mutate(token.id)}
        >
          Revoke
        </button>
        {revoke.error ? (
          <span className="field-error" role="alert">
            {revoke.error.message}
          </span>
        ) : null}
      </td>
    </tr>
  );
}

/** `/settings/tokens`: the agent's API tokens for scripts. */
export default function TokensPage() {
  const tokens = useTokens();
  const [newToken, setNewToken] = useState(null);

  return (
    <main className="tokens-page">
      <h2>API tokens</h2>
      <p className="tokens-page__intro">
        Scripts send a token as <code>Authorization: Token &lt;key&gt;</code>. Revoke a token you no longer use.
      </p>
      {newToken ? <NewKey token={newToken} onDone={() => setNewToken(null)} /> : null}
      <CreateTokenForm onCreated={setNewToken} />
      <section className="card" aria-label="Your tokens">
        {tokens.isPending ? <p className="tokens-page__placeholder">Loading tokens…</p> : null}
        {tokens.isError ? (
          <ErrorState title="Could not load your tokens" error={tokens.error} onRetry={tokens.refetch} compact />
        ) : null}
        {tokens.data && tokens.data.length === 0 ? (
          <p className="tokens-page__placeholder">You have no API tokens.</p>
        ) : null}
        {tokens.data && tokens.data.length > 0 ? (
          <table className="tokens-table">
            <caption className="visually-hidden">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((token) => (
                <TokenRow key={token.id} token={token} />
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </main>
  );
}

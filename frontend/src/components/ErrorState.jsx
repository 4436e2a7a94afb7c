/** A contained error with a way forward: shown instead of a blank area. */
export default function ErrorState({ title = 'Something went wrong', error, onRetry, compact = false }) {
  const offline = error?.isNetworkError;
  return (
    <div className={`error-state${compact ? ' error-state--compact' : ''}`} role="alert">
      <div>
        <p className="error-state__title">{offline ? 'The ticket service is unreachable' : title}</p>
        {error?.message ? <p className="error-state__detail">{error.message}</p> : null}
      </div>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

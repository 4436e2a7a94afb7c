import { Link } from 'react-router-dom';

/** Any address the app has no page for. */
export default function NotFoundPage() {
  return (
    <main className="ticket-page">
      <section className="card empty-state">
        <h2 className="empty-state__title">Page not found</h2>
        <Link to="/" className="link-button">
          Go to the ticket queue
        </Link>
      </section>
    </main>
  );
}

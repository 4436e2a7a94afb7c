// The pages a visit can open on, each with an HTML file of its own that asks for the page's
// code (its chunk, the chunks it imports and its styles) at once, beside the app's entry,
// instead of after the entry has run. The build writes them (vite.config.js); the server
// (serve.js) answers each path with its page's file. Other paths get index.html, which
// preloads the queue: the page an agent lands on, and the one signing in leads to.
export const QUEUE_PAGE = 'src/features/tickets/routes/QueuePage.jsx';

export const PAGES = [
  { html: 'ticket.html', path: /^\/tickets\/[^/]+\/?$/, module: 'src/features/tickets/routes/TicketPage.jsx' },
];

/** The HTML file that answers `pathname`: a page's own, or index.html. */
export function htmlFor(pathname) {
  return PAGES.find((page) => page.path.test(pathname))?.html ?? 'index.html';
}

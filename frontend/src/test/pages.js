// The app's pages are lazy chunks. A test file that renders <App /> imports this first, so a
// page's first load (under Vitest, a transform of many modules) is not part of a test's wait.
import '../features/tickets/routes/QueuePage';
import '../features/tickets/routes/TicketPage';

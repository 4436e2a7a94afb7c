/** The ticket id in an address (`/tickets/:id`), or null when it cannot be one. */
export function parseTicketId(raw) {
  return /^[1-9]\d{0,17}$/.test(raw || '') ? Number(raw) : null;
}

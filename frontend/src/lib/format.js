// The formatters are built on first use, or by prepareFormats: the first one a page builds
// sets up the browser's locale data (tens of milliseconds on a phone), which the app does
// while the first page's data is on its way rather than inside the render that shows it.
let dateTime;
let timeOnly;

/** Build the date formatters now (and the locale data with them). */
export function prepareFormats() {
  dateTime ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  timeOnly ??= new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
}

/** "Today, 14:05" for today's tickets, a short date and time otherwise. */
export function formatCreated(iso, now = new Date()) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  prepareFormats();
  if (date.toDateString() === now.toDateString()) return `Today, ${timeOnly.format(date)}`;
  return dateTime.format(date);
}

export function formatFull(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  prepareFormats();
  return dateTime.format(date);
}

// One formatter per number of digits: toLocaleString with options builds a new one on every call.
const numberFormats = new Map();

export function formatNumber(value, digits = 0) {
  if (value == null || Number.isNaN(Number(value))) return '–';
  if (!numberFormats.has(digits)) {
    numberFormats.set(
      digits,
      new Intl.NumberFormat(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits }),
    );
  }
  return numberFormats.get(digits).format(Number(value));
}

import { Fragment } from 'react';

// Candidate links: an http(s) address up to the next space or angle bracket.
const URL_PATTERN = /https?:\/\/[^\s<>"']+/gi;
// Punctuation that usually ends the sentence rather than the address.
const TRAILING = /[.,;:!?)\]}]+$/;

/** The address if it is a well-formed http(s) URL, else null. */
export function safeHref(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Split a body into text and link parts: [{ text }, { text, href }]. */
export function linkParts(body) {
  const parts = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const raw = match[0].replace(TRAILING, '');
    const href = safeHref(raw);
    if (!href) continue;
    if (match.index > last) parts.push({ text: body.slice(last, match.index) });
    parts.push({ text: raw, href });
    last = match.index + raw.length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  return parts;
}

/**
 * A comment's body as plain text: line breaks kept (CSS pre-wrap), http(s)
 * addresses as links. Everything is a React text node or an <a> built here,
 * so nothing in a body becomes markup or script.
 */
export default function CommentBody({ body }) {
  return (
    <p className="comment-body">
      {linkParts(body || '').map((part, index) =>
        part.href ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </p>
  );
}

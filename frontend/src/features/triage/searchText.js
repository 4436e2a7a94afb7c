// Words of one or two characters cannot use the API's search indexes: a text
// made only of such words is sent while typing only on an explicit request.
export const MIN_WORD_LENGTH = 3;

/** Whether `text` holds at least one word of MIN_WORD_LENGTH characters or more. */
export function hasSearchableWord(text) {
  return (text || '').split(/[\s\p{P}]+/u).some((word) => word.length >= MIN_WORD_LENGTH);
}

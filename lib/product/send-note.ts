/**
 * The optional note a sender adds to a sent file's email. It is text one
 * user puts into an email to someone else, so it stays short, on one line,
 * free of invisible characters, and the email shows it as a quotation
 * "from {sender}, not from Trustladder". No server imports: the send form
 * uses the same limit for its input's maxLength.
 */

/** At most this many characters (UTF-16 code units, as an input's maxLength counts them). */
export const MAX_SEND_NOTE_LENGTH = 200;

/**
 * The one rule for the characters of any text people or files give us (names, summaries, quotes,
 * sources, labels, reasons): used by the schemas of forms, the API and the dataset format, by the
 * bulk importers' rows, and by correction reasons.
 */

// C0 controls but tab, newline and carriage return (NUL cuts a stored string short in some
// readers), DEL, C1 controls.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they make text,
// and a link's address, read differently from what it is ("Trojan source").
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
// Not characters at all: U+FFFE, U+FFFF and a UTF-16 surrogate without its pair (a JSON escape such
// as "\ud800" makes one). XML 1.0 forbids them, so one in a stored summary made every Atom feed
// that carried it unreadable; stored through UTF-8 a lone surrogate also turned silently into U+FFFD.
const NONCHARACTER = /[\ufffe\uffff]|\p{Cs}/u;
// All of the above at once: the common case (clean text) costs one test.
const ANY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|\p{Cs}/u;

/**
 * What is wrong with a text's characters, or null.
 * @example characterProblem('a\u0000b') // 'must not contain control characters such as NUL'
 */
export function characterProblem(s: string): string | null {
	if (!ANY.test(s)) return null;
	if (CONTROL.test(s)) return 'must not contain control characters such as NUL';
	if (BIDI_CONTROL.test(s)) return 'must not contain bidirectional control characters such as U+202E';
	if (NONCHARACTER.test(s)) return 'must not contain noncharacters such as U+FFFF or a lone surrogate';
	return null;
}

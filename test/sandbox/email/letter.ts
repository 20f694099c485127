import { RequestRefusal } from '../http/refusal';
import { SandboxTexts } from '../texts';

/** The standard alphabet in groups of four, the last group padded with `=` to full length. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Line breaks between base64 lines: CR LF (PHP's chunk_split, MIME) or LF (Python's encodebytes, openssl). */
const LINE_BREAKS = /\r?\n/g;

/**
 * Decodes the letter: strict base64 (standard alphabet, correct padding, unused bits zero, so the text is the
 * canonical encoding of its bytes) holding UTF-8 text. It may be wrapped into lines (76 columns as PHP's
 * `chunk_split` and MIME tools write it, 64 as openssl does, with or without a final line break); spaces, tabs and
 * any other character are refused.
 */
export function decodeLetter(wrapped: string): string {
	const letter = wrapped.replace(LINE_BREAKS, '');
	if (!BASE64.test(letter)) {
		throw new RequestRefusal(SandboxTexts.letterNotBase64);
	}
	const bytes = Buffer.from(letter, 'base64');
	if (bytes.toString('base64') !== letter) {
		throw new RequestRefusal(SandboxTexts.letterNotBase64);
	}
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		throw new RequestRefusal(SandboxTexts.letterNotUtf8);
	}
}

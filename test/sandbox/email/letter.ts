import { RequestRefusal } from '../http/refusal';
import { SandboxTexts } from '../texts';

/** The standard alphabet in groups of four, the last group padded with `=` to full length. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes the letter: strict base64 (standard alphabet, correct padding, no whitespace or line breaks,
 * unused bits zero, so the text is the canonical encoding of its bytes) holding UTF-8 text.
 */
export function decodeLetter(letter: string): string {
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

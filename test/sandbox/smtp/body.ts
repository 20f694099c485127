import { decode } from 'iconv-lite';

import { SmtpSandboxTexts } from './texts';

/** Why the gateway would refuse an email; its text is the SMTP reply. */
export class EmailRefusal extends Error {
	constructor(
		message: string,
		readonly responseCode = 550,
	) {
		super(message);
		this.name = 'EmailRefusal';
	}
}

const CRLF = Buffer.from('\r\n\r\n');

/** The raw message split at the first empty line: header block and body, both as received. */
export function splitMessage(raw: Buffer): { header: Buffer; body: Buffer } {
	const end = raw.indexOf(CRLF);
	if (end < 0) return { header: raw, body: Buffer.alloc(0) };
	return { header: raw.subarray(0, end + 2), body: raw.subarray(end + 4) };
}

/**
 * The body's bytes after undoing its Content-Transfer-Encoding, strictly: a byte or escape the encoding does
 * not allow refuses the email.
 */
export function decodeTransferEncoding(body: Buffer, encoding: string): Buffer {
	switch (encoding) {
		case '7bit': {
			const high = body.findIndex((byte) => byte >= 0x80);
			if (high >= 0) throw new EmailRefusal(SmtpSandboxTexts.malformedTransferEncoding(encoding));
			return body;
		}
		case '8bit':
		case 'binary':
			return body;
		case 'quoted-printable':
			return decodeQuotedPrintable(body, encoding);
		case 'base64': {
			const text = body.toString('latin1').replace(/\r\n/g, '');
			if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
				throw new EmailRefusal(SmtpSandboxTexts.malformedTransferEncoding(encoding));
			}
			return Buffer.from(text, 'base64');
		}
		default:
			throw new EmailRefusal(SmtpSandboxTexts.wrongTransferEncoding(encoding));
	}
}

/** RFC 2045 §6.7: `=XX` escapes, `=` CR LF soft breaks, trailing spaces of a line dropped; lines end in CR LF. */
function decodeQuotedPrintable(body: Buffer, encoding: string): Buffer {
	const text = body.toString('latin1');
	if (/[^\t\r\n\x20-\x7E]/.test(text)) throw new EmailRefusal(SmtpSandboxTexts.malformedTransferEncoding(encoding));
	const lines = text.split('\r\n');
	if (lines.some((line) => /[\r\n]/.test(line))) throw new EmailRefusal(SmtpSandboxTexts.bareLineBreak);
	const bytes: number[] = [];
	for (const [index, rawLine] of lines.entries()) {
		const line = rawLine.replace(/[ \t]+$/, '');
		const soft = line.endsWith('=');
		const content = soft ? line.slice(0, -1) : line;
		for (let at = 0; at < content.length; at++) {
			const character = content[at];
			if (character !== '=') {
				bytes.push(character.charCodeAt(0));
				continue;
			}
			const hex = content.slice(at + 1, at + 3);
			if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new EmailRefusal(SmtpSandboxTexts.malformedTransferEncoding(encoding));
			bytes.push(parseInt(hex, 16));
			at += 2;
		}
		if (!soft && index < lines.length - 1) bytes.push(0x0d, 0x0a);
	}
	return Buffer.from(bytes);
}

/**
 * windows-1251 bytes as text, strictly: the undefined byte 0x98 and control bytes other than tab, CR and LF are
 * refused, and line breaks must be CR LF.
 */
export function decodeWindows1251Strictly(bytes: Buffer): string {
	for (const [index, byte] of bytes.entries()) {
		if (byte === 0x98) throw new EmailRefusal(SmtpSandboxTexts.notWindows1251(byte));
		if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) {
			throw new EmailRefusal(SmtpSandboxTexts.controlCharacter(byte));
		}
		const crWithoutLf = byte === 0x0d && bytes[index + 1] !== 0x0a;
		const lfWithoutCr = byte === 0x0a && bytes[index - 1] !== 0x0d;
		if (crWithoutLf || lfWithoutCr) throw new EmailRefusal(SmtpSandboxTexts.bareLineBreak);
	}
	return decode(bytes, 'windows-1251');
}

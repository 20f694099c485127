import type { IncomingHttpHeaders } from 'node:http';

/** A Content-Type header split into its lower-cased media type and charset (undefined when not given). */
export interface ContentType {
	mediaType: string;
	charset: string | undefined;
}

const BYTE_ORDER_MARK = '\uFEFF';

function firstHeader(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

export function contentTypeOf(headers: IncomingHttpHeaders): ContentType {
	const [mediaType, ...parameters] = (firstHeader(headers['content-type']) ?? '')
		.split(';')
		.map((part) => part.trim().toLowerCase());
	const charset = parameters
		.map((parameter) => /^charset\s*=\s*"?([^"]*)"?$/.exec(parameter)?.[1])
		.find((value) => value !== undefined);
	return { mediaType, charset };
}

/** True for the media type with no charset or with `charset=utf-8`. */
export function isUtf8ContentType(contentType: ContentType, mediaType: string): boolean {
	return contentType.mediaType === mediaType && (contentType.charset === undefined || contentType.charset === 'utf-8');
}

/** The body as text, without a leading byte order mark; undefined when it is not valid UTF-8. */
export function decodeUtf8Body(body: Buffer): string | undefined {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
	} catch {
		return undefined;
	}
	return text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
}

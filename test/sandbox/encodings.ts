/**
 * The encodings in which a reply may echo a request (or a secret from it): what a debugging proxy, a
 * PHP error page or a careless provider text would carry. The `echo` fault writes them; tests that
 * check a secret is redacted can use them to know what to look for.
 */

/** XML character data / attribute value escaping (`&`, `<`, `>`, `"`, `'`). */
export function xmlEscape(text: string): string {
	return text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&apos;');
}

/** PHP `json_encode` of a string: as JSON.stringify, but non-ASCII as `\uXXXX` and `/` as `\/`. */
export function phpJsonEncode(text: string): string {
	return JSON.stringify(text)
		.replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
		.replaceAll('/', '\\/');
}

/** `application/x-www-form-urlencoded` of a value: `+` for spaces (as PHP `urlencode`). */
export function formUrlEncode(text: string): string {
	return new URLSearchParams({ v: text }).toString().slice(2);
}

/** Base64 wrapped at 76 columns with CRLF (MIME style). */
export function wrapBase64(base64: string): string {
	return (base64.match(/.{1,76}/g) ?? []).join('\r\n');
}

/** Standard base64 of the UTF-8 bytes. */
export function base64Of(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64');
}

/** URL-safe base64 (`-`, `_`, no padding) of the UTF-8 bytes. */
export function base64UrlOf(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64url');
}

/** Every form the `echo` fault's HTML page shows a text in, by label. */
export function echoedForms(text: string): Array<{ label: string; value: string }> {
	return [
		{ label: 'raw', value: text },
		{ label: 'xml', value: xmlEscape(text) },
		{ label: 'JSON.stringify', value: JSON.stringify(text) },
		{ label: 'json_encode', value: phpJsonEncode(text) },
		{ label: 'encodeURIComponent', value: encodeURIComponent(text) },
		{ label: 'urlencode', value: formUrlEncode(text) },
		{ label: 'base64', value: wrapBase64(base64Of(text)) },
		{ label: 'base64url', value: wrapBase64(base64UrlOf(text)) },
	];
}

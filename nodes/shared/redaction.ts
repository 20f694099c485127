/** Replaces every secret in a text with `***`. */
export function redactor(secrets: readonly string[]): (text: string) => string {
	const hidden = [...new Set(secrets.flatMap((secret) => (secret ? [secret, xmlEscaped(secret)] : [])))].sort(
		(a, b) => b.length - a.length,
	);
	return (text: string) => hidden.reduce((result, secret) => result.split(secret).join('***'), text);
}

function xmlEscaped(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

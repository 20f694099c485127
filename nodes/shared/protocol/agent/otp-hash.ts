import { createHmac, timingSafeEqual } from 'crypto';

export const CODE_HASH_PREFIX = 'hmac-sha256:';

/** `hmac-sha256:<sentAt>:<hex>` over phone, sentAt and code, keyed by the user's secret. */
export function hashOtpCode(input: { phone: string; sentAt: string; code: string; secret: string }): string {
	return `${CODE_HASH_PREFIX}${input.sentAt}:${digest(input.secret, input.phone, input.sentAt, input.code)}`;
}

export interface ParsedCodeHash {
	sentAt: string;
	hex: string;
}

export function isCodeHash(value: string): boolean {
	return value.startsWith(CODE_HASH_PREFIX);
}

/** The sent time and digest of a code hash; the time itself holds colons, the digest is after the last one. */
export function parseCodeHash(value: string): ParsedCodeHash | undefined {
	if (!isCodeHash(value)) return undefined;
	const rest = value.slice(CODE_HASH_PREFIX.length);
	const split = rest.lastIndexOf(':');
	if (split <= 0) return undefined;
	const hex = rest.slice(split + 1);
	if (!/^[0-9a-f]{64}$/.test(hex)) return undefined;
	return { sentAt: rest.slice(0, split), hex };
}

/** Whether `code` is the one hashed: compared as HMAC digests, in constant time. */
export function codeMatchesHash(input: { phone: string; code: string; secret: string; hash: ParsedCodeHash }): boolean {
	const expected = Buffer.from(input.hash.hex, 'hex');
	const actual = Buffer.from(digest(input.secret, input.phone, input.hash.sentAt, input.code), 'hex');
	return timingSafeEqual(expected, actual);
}

/** Whether two plain codes are equal, without leaking where they differ or how long the expected one is. */
export function codesEqual(expected: string, actual: string): boolean {
	const key = 'otp-compare';
	const left = createHmac('sha256', key).update(expected).digest();
	const right = createHmac('sha256', key).update(actual).digest();
	return timingSafeEqual(left, right);
}

function digest(secret: string, phone: string, sentAt: string, code: string): string {
	return createHmac('sha256', secret).update(JSON.stringify([phone, sentAt, code])).digest('hex');
}

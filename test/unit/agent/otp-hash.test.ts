import { createHmac } from 'crypto';

import fc from 'fast-check';

import {
	CODE_HASH_PREFIX,
	codeMatchesHash,
	codesEqual,
	hashOtpCode,
	isCodeHash,
	parseCodeHash,
} from '../../../nodes/shared/protocol/agent/otp-hash';
import { anyText, digits } from '../support/arbitraries';
import { agentSingleLine, anyWellFormedText } from './support';

const SENT_AT = '2024-05-01T12:34:56.789Z';
const sample = { phone: '79001234567', sentAt: SENT_AT, code: '0427', secret: 'workflow secret' };

const HASH_FORMAT = /^hmac-sha256:([\s\S]+):([0-9a-f]{64})$/;

/** Check a code against a hash string as the Verify operation does. */
function verify(hash: string, input: { phone: string; code: string; secret: string }): boolean {
	const parsed = parseCodeHash(hash);
	if (!parsed) throw new Error(`not a code hash: ${hash}`);
	return codeMatchesHash({ ...input, hash: parsed });
}

const sentAtArbitrary = fc.oneof(
	fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
	anyText(30).filter((text) => text !== ''),
);

/** Secrets as a user types them: single-line text (HMAC pads short keys with zero bytes, so NULs are left out). */
const secretArbitrary = agentSingleLine(40).filter((secret) => secret !== '');

const hashInput = fc.record({
	phone: fc.oneof(digits(10, 15), anyText(20)),
	sentAt: sentAtArbitrary,
	code: fc.oneof(digits(4, 8), anyText(10)),
	secret: secretArbitrary,
});

describe('hashOtpCode', () => {
	it('writes hmac-sha256:<sentAt>:<64 lowercase hex>', () => {
		const hash = hashOtpCode(sample);
		expect(hash).toMatch(HASH_FORMAT);
		expect(hash.startsWith(`${CODE_HASH_PREFIX}${SENT_AT}:`)).toBe(true);
		expect(isCodeHash(hash)).toBe(true);
	});

	it('is an HMAC-SHA256 keyed by the secret over phone, sentAt and code', () => {
		const expected = createHmac('sha256', sample.secret).update(JSON.stringify([sample.phone, SENT_AT, sample.code])).digest('hex');
		expect(hashOtpCode(sample)).toBe(`hmac-sha256:${SENT_AT}:${expected}`);
	});

	it('does not contain the code or the secret', () => {
		fc.assert(
			fc.property(digits(10, 15), digits(4, 8), fc.string({ minLength: 12, maxLength: 30 }), (phone, code, secret) => {
				const hash = hashOtpCode({ phone, sentAt: SENT_AT, code, secret });
				const hex = hash.slice(hash.lastIndexOf(':') + 1);
				expect(hash).not.toContain(secret);
				expect(hex).toMatch(/^[0-9a-f]{64}$/);
			}),
		);
	});

	it('is deterministic', () => {
		expect(hashOtpCode(sample)).toBe(hashOtpCode({ ...sample }));
	});
});

describe('parseCodeHash', () => {
	it('gives back the sent time, colons and all, and the digest', () => {
		const hash = hashOtpCode(sample);
		expect(parseCodeHash(hash)).toEqual({ sentAt: SENT_AT, hex: hash.slice(-64) });
	});

	it('round-trips any non-empty sentAt', () => {
		fc.assert(
			fc.property(hashInput, (input) => {
				const hash = hashOtpCode(input);
				expect(hash).toMatch(HASH_FORMAT);
				expect(parseCodeHash(hash)?.sentAt).toBe(input.sentAt);
			}),
		);
	});

	it.each([
		['a plain code', '1234'],
		['another prefix', 'sha256:2024-05-01T12:34:56.789Z:' + 'a'.repeat(64)],
		['no sentAt', 'hmac-sha256::' + 'a'.repeat(64)],
		['no separator', 'hmac-sha256:' + 'a'.repeat(64)],
		['a short digest', 'hmac-sha256:2024-05-01T12:34:56.789Z:' + 'a'.repeat(63)],
		['a long digest', 'hmac-sha256:2024-05-01T12:34:56.789Z:' + 'a'.repeat(65)],
		['an uppercase digest', 'hmac-sha256:2024-05-01T12:34:56.789Z:' + 'A'.repeat(64)],
		['a non-hex digest', 'hmac-sha256:2024-05-01T12:34:56.789Z:' + 'g'.repeat(64)],
		['nothing after the prefix', 'hmac-sha256:'],
	])('refuses %s', (_name, value) => {
		expect(parseCodeHash(value)).toBeUndefined();
	});

	it('tells hashes from plain codes by the prefix', () => {
		expect(isCodeHash('hmac-sha256:x')).toBe(true);
		expect(isCodeHash('0427')).toBe(false);
		expect(isCodeHash('HMAC-SHA256:x')).toBe(false);
	});
});

describe('codeMatchesHash', () => {
	it('accepts the same phone, code and secret', () => {
		expect(verify(hashOtpCode(sample), sample)).toBe(true);
	});

	it('accepts exactly the same phone, code, secret and sentAt, for any of them', () => {
		fc.assert(
			fc.property(hashInput, (input) => {
				expect(verify(hashOtpCode(input), input)).toBe(true);
			}),
		);
	});

	it('refuses when any one of phone, code, secret or sentAt differs', () => {
		fc.assert(
			fc.property(
				hashInput,
				fc.constantFrom('phone', 'code', 'secret', 'sentAt'),
				fc.oneof(anyText(20), digits(4, 15)),
				secretArbitrary,
				(input, changed, replacement, otherSecret) => {
					const other = { ...input, [changed]: changed === 'secret' ? otherSecret : replacement };
					fc.pre(other[changed as 'phone'] !== input[changed as 'phone'] && other.sentAt !== '');
					const hash = hashOtpCode(input);
					if (changed === 'sentAt') {
						// The hash as stored, only its time changed.
						const forged = `${CODE_HASH_PREFIX}${other.sentAt}:${hash.slice(-64)}`;
						expect(verify(forged, input)).toBe(false);
					} else {
						expect(verify(hash, other)).toBe(false);
					}
				},
			),
		);
	});

	it('refuses a hash whose sent time was moved later, so its age cannot be forged', () => {
		const hash = hashOtpCode(sample);
		const later = hash.replace(SENT_AT, '2024-05-01T12:44:56.789Z');
		expect(parseCodeHash(later)?.sentAt).toBe('2024-05-01T12:44:56.789Z');
		expect(verify(later, sample)).toBe(false);
	});

	it('refuses a code with a leading zero dropped, or added', () => {
		const hash = hashOtpCode(sample);
		expect(verify(hash, { ...sample, code: '427' })).toBe(false);
		expect(verify(hash, { ...sample, code: '00427' })).toBe(false);
	});

	it('refuses a hash bound to another phone, even when the concatenation of fields is the same', () => {
		const hash = hashOtpCode({ ...sample, phone: '7900123456', code: '70427' });
		expect(verify(hash, { ...sample, phone: '79001234567', code: '0427' })).toBe(false);
	});

	it('refuses a digest with one hex digit changed', () => {
		const hash = hashOtpCode(sample);
		const last = hash.slice(-1);
		const tampered = hash.slice(0, -1) + (last === '0' ? '1' : '0');
		expect(verify(tampered, sample)).toBe(false);
	});
});

describe('codesEqual', () => {
	it.each([
		['0427', '0427', true],
		['0427', '427', false],
		['427', '0427', false],
		['0000', '0000', true],
		['0000', '00000', false],
		['1234', '12345', false],
		['12345678', '1234567', false],
		['1234', '1235', false],
		['', '', true],
		['1234', '', false],
		['1234', ' 1234', false],
	])('codesEqual(%p, %p) is %p', (expected, actual, result) => {
		expect(codesEqual(expected, actual)).toBe(result);
	});

	it('equals string equality for any codes', () => {
		const code = fc.oneof(digits(0, 10), anyWellFormedText(12));
		fc.assert(
			fc.property(code, code, (expected, actual) => {
				expect(codesEqual(expected, actual)).toBe(expected === actual);
			}),
		);
		fc.assert(
			fc.property(code, (value) => {
				expect(codesEqual(value, value)).toBe(true);
				expect(codesEqual(value, value + '0')).toBe(false);
				expect(codesEqual('0' + value, value)).toBe(false);
			}),
		);
	});
});

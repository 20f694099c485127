/** Dot-atom local part (RFC 5322 without quoted strings or comments). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL_DOMAIN = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;
const MAX_LOCAL_PART = 64;
const MAX_ADDRESS = 254;

/**
 * One bare address `local@domain.tld`: no display name, no list, no spaces, an ASCII dot-atom local
 * part of at most 64 characters, a domain of at least two labels (internationalised domains in their
 * `xn--` form), at most 254 characters in all.
 */
export function isEmailAddress(text: string): boolean {
	const at = text.lastIndexOf('@');
	if (at <= 0 || text.length > MAX_ADDRESS) {
		return false;
	}
	const local = text.slice(0, at);
	const labels = text.slice(at + 1).split('.');
	return (
		local.length <= MAX_LOCAL_PART &&
		LOCAL_PART.test(local) &&
		labels.length >= 2 &&
		labels.every((label) => DOMAIN_LABEL.test(label)) &&
		TOP_LEVEL_DOMAIN.test(labels[labels.length - 1])
	);
}

/** The part before the last `@`. */
export function localPartOf(address: string): string {
	return address.slice(0, Math.max(address.lastIndexOf('@'), 0));
}

/** Addresses compared the way mail systems treat them in practice: ignoring letter case. */
export function sameAddress(a: string, b: string): boolean {
	return a.toLowerCase() === b.toLowerCase();
}

/** GSM 03.38 default alphabet (one septet each). */
const GSM7_BASIC = new Set(
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** GSM 03.38 extension table (escape + character: two septets each). */
const GSM7_EXTENSION = new Set('^{}\\[~]|€\f');

const GSM7_SINGLE = 160;
const GSM7_PER_PART = 153;
const UCS2_SINGLE = 70;
const UCS2_PER_PART = 67;

/** Septets the text needs in GSM-7, or undefined when a character is outside the alphabet. */
function gsm7Septets(text: string): number | undefined {
	let septets = 0;
	for (const character of text) {
		if (GSM7_BASIC.has(character)) {
			septets += 1;
		} else if (GSM7_EXTENSION.has(character)) {
			septets += 2;
		} else {
			return undefined;
		}
	}
	return septets;
}

function partsFor(units: number, single: number, perPart: number): number {
	if (units <= single) {
		return 1;
	}
	return Math.ceil(units / perPart);
}

/**
 * Parts an SMS text is sent in: GSM-7 (160 septets, or 153 per part) when every character is in the
 * GSM alphabet, otherwise UCS-2 (70 UTF-16 code units, or 67 per part).
 */
export function countSmsParts(text: string): number {
	const septets = gsm7Septets(text);
	if (septets !== undefined) {
		return partsFor(septets, GSM7_SINGLE, GSM7_PER_PART);
	}
	return partsFor(text.length, UCS2_SINGLE, UCS2_PER_PART);
}

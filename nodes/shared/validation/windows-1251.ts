import { findUnsupportedCharacter, replaceUnsupportedCharacters } from '../protocol/email2sms';
import { InputError } from './input-error';

export interface Windows1251Rules {
	/** Replace what windows-1251 cannot carry with `?` instead of refusing the value. */
	replace?: boolean;
	/** The value is a password: the refusal names neither the character nor its position. */
	secret?: boolean;
	/** How the user can avoid the refusal, appended to its reason. */
	hint?: string;
}

/**
 * The value as it will be sent in windows-1251: unchanged when every character fits, else refused with an
 * error naming the field, the character (U+XXXX) and its 1-based position, or with `replace`, each
 * character that does not fit replaced by `?`.
 */
export function checkWindows1251(text: string, field: string, rules: Windows1251Rules = {}): string {
	if (rules.replace) return replaceUnsupportedCharacters(text).text;
	const unsupported = findUnsupportedCharacter(text);
	if (!unsupported) return text;
	if (rules.secret) throw new InputError(field, 'has a character that the windows-1251 charset cannot carry');
	const { codePoint, character, position } = unsupported;
	const shown = /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(character) ? ` "${character}"` : '';
	throw new InputError(
		field,
		`has the character ${codePoint}${shown} at position ${position}, which the windows-1251 charset cannot carry` +
			(rules.hint ? `. ${rules.hint}` : ''),
	);
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { loadTargetSmsApiCredentials } from '../../shared/credentials';
import { emptyResults, readEachItem } from '../../shared/items';
import type { ItemParameterReader } from '../../shared/parameters';
import { itemParameterReader } from '../../shared/parameters';
import { codeMatchesHash, codesEqual, isCodeHash, parseCodeHash } from '../../shared/protocol/agent/otp-hash';
import { InputError } from '../../shared/validation/input-error';
import { checkMaxAgeMinutes, otpSecretOf } from '../../shared/validation/otp';
import { normalisePhone } from '../../shared/validation/phones';
import { checkText } from '../../shared/validation/text';

export { verifyDescription as description } from './verify.description';

type Verdict = { valid: true } | { valid: false; reason: 'mismatch' | 'expired' };

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const results = emptyResults(items.length);
	const now = Date.now();
	const parameters = itemParameterReader(this);
	const credentialSecret = await readCredentialSecret(this, parameters);
	const verdicts = readEachItem(this, results, (itemIndex) => verifyItem(parameters, itemIndex, now, credentialSecret));
	for (const { itemIndex, value } of verdicts) {
		results[itemIndex].push({ json: { ...items[itemIndex].json, ...value }, pairedItem: { item: itemIndex } });
	}
	return [results.flat()];
}

/**
 * The credential's OTP Secret, read only when some item checks a codeHash without the Secret option: a Verify of
 * plain codes (or one saved before the credential held the key) needs no credential.
 */
async function readCredentialSecret(context: IExecuteFunctions, read: ItemParameterReader): Promise<string> {
	const needsIt = context.getInputData().some((_item, itemIndex) => {
		try {
			const expected = String(read('expected', itemIndex, '')).trim();
			const options = read('options', itemIndex, {}) as IDataObject;
			return isCodeHash(expected) && !options.secret;
		} catch {
			return false;
		}
	});
	if (!needsIt) return '';
	const node = context.getNode();
	if (!node.credentials?.targetSmsApi) return '';
	return (await loadTargetSmsApiCredentials(context)).otpSecret;
}

function verifyItem(read: ItemParameterReader, itemIndex: number, now: number, credentialSecret: string): Verdict {
	const parameter = (name: string, fallback: unknown = '') => read(name, itemIndex, fallback);
	const options = parameter('options', {}) as IDataObject;
	const code = String(checkText(parameter('code'), 'Code', { required: true, singleLine: true })).trim();
	const expected = String(checkText(parameter('expected'), 'Expected', { required: true, singleLine: true })).trim();
	const maxAgeMinutes = checkMaxAgeMinutes(options.maxAge);

	if (!isCodeHash(expected)) {
		if (maxAgeMinutes !== undefined) {
			throw new InputError('Max Age (Minutes)', 'needs a codeHash as Expected: a plain code does not say when it was sent');
		}
		return codesEqual(expected, code) ? { valid: true } : { valid: false, reason: 'mismatch' };
	}
	const hash = parseCodeHash(expected);
	const sentAt = hash ? Date.parse(hash.sentAt) : NaN;
	if (!hash || Number.isNaN(sentAt)) {
		throw new InputError('Expected', 'looks like a codeHash but is not one the Send operation produced');
	}
	const secret = otpSecretOf(options.secret, credentialSecret, 'to check a codeHash: use the one Send used');
	const phone = normalisePhone(String(checkText(parameter('phone'), 'Phone', { required: true, singleLine: true })), 'Phone');
	const matches = codeMatchesHash({ phone, code, secret, hash });
	if (!matches) return { valid: false, reason: 'mismatch' };
	if (maxAgeMinutes !== undefined && now - sentAt > maxAgeMinutes * 60_000) return { valid: false, reason: 'expired' };
	return { valid: true };
}

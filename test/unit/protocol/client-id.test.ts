import { createHash } from 'node:crypto';

import fc from 'fast-check';

import type { ClientIdSource, DeduplicationSource } from '../../../nodes/shared/protocol/client-id';
import { clientIdDeriver, deriveClientId, deriveDeduplicatedId } from '../../../nodes/shared/protocol/client-id';

const LIMIT = 2n ** 53n;

const sourceArbitrary: fc.Arbitrary<ClientIdSource> = fc.record({
	instanceId: fc.string({ unit: 'binary', maxLength: 16 }),
	workflowId: fc.string({ unit: 'binary', maxLength: 16 }),
	executionAnchor: fc.string({ unit: 'binary', maxLength: 12 }),
	nodeName: fc.string({ unit: 'grapheme', maxLength: 12 }),
	runIndex: fc.nat({ max: 1000 }),
	itemIndex: fc.nat({ max: 100_000 }),
	recipient: fc.string({ unit: fc.constantFrom('0', '1', '7', '9', '+', 'a', '@', '.'), maxLength: 15 }),
});

const BASE: ClientIdSource = {
	instanceId: '5f3c0d1e9a7b4c2d8e6f1a0b3c5d7e9f',
	workflowId: 'tsmsExample01Ord',
	executionAnchor: '1042',
	nodeName: 'Send SMS',
	runIndex: 0,
	itemIndex: 3,
	recipient: '79001234567',
};

function expectValidId(id: string): void {
	expect(id).toMatch(/^[1-9]\d*$/);
	const value = BigInt(id);
	expect(value > 0n).toBe(true);
	expect(value < LIMIT).toBe(true);
	expect(Number.isSafeInteger(Number(id))).toBe(true);
}

describe('deriveClientId', () => {
	it('is deterministic: the same source gives the same id, every time', () => {
		const id = deriveClientId(BASE);
		expect(deriveClientId({ ...BASE })).toBe(id);
		expect(
			deriveClientId({
				recipient: '79001234567',
				itemIndex: 3,
				runIndex: 0,
				nodeName: 'Send SMS',
				executionAnchor: '1042',
				workflowId: 'tsmsExample01Ord',
				instanceId: '5f3c0d1e9a7b4c2d8e6f1a0b3c5d7e9f',
			}),
		).toBe(id);
		fc.assert(fc.property(sourceArbitrary, (source) => deriveClientId(source) === deriveClientId({ ...source })));
	});

	it('is a positive integer below 2^53 written in digits', () => {
		expectValidId(deriveClientId(BASE));
		fc.assert(
			fc.property(sourceArbitrary, (source) => {
				expectValidId(deriveClientId(source));
			}),
		);
	});

	it.each<[string, Partial<ClientIdSource>]>([
		['n8n instance (execution ids restart in every instance)', { instanceId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' }],
		['workflow', { workflowId: 'tsmsExample02Rem' }],
		['execution anchor', { executionAnchor: 'trigger:Webhook:1764579600001:ab12' }],
		['node name', { nodeName: 'Send SMS1' }],
		['run index (a loop sending again)', { runIndex: 1 }],
		['item index', { itemIndex: 4 }],
		['recipient', { recipient: '79001234568' }],
	])('changes with the %s', (_name, change) => {
		expect(deriveClientId({ ...BASE, ...change })).not.toBe(deriveClientId(BASE));
	});

	it('does not confuse values that only differ in where one field ends and the next begins', () => {
		expect(deriveClientId({ ...BASE, executionAnchor: '10', nodeName: '42Send SMS' })).not.toBe(
			deriveClientId({ ...BASE, executionAnchor: '1042', nodeName: 'Send SMS' }),
		);
		expect(deriveClientId({ ...BASE, runIndex: 1, itemIndex: 23 })).not.toBe(deriveClientId({ ...BASE, runIndex: 12, itemIndex: 3 }));
		expect(deriveClientId({ ...BASE, nodeName: 'a","b' })).not.toBe(deriveClientId({ ...BASE, nodeName: 'a', executionAnchor: '1042","b' }));
	});

	it('gives different sources different ids (a collision would be astronomically unlikely)', () => {
		fc.assert(
			fc.property(sourceArbitrary, sourceArbitrary, (a, b) => {
				fc.pre(JSON.stringify(a) !== JSON.stringify(b));
				expect(deriveClientId(a)).not.toBe(deriveClientId(b));
			}),
		);
	});

	it('changes when any single field of any source changes', () => {
		const change = fc.constantFrom<(source: ClientIdSource) => ClientIdSource>(
			(source) => ({ ...source, executionAnchor: source.executionAnchor + '1' }),
			(source) => ({ ...source, nodeName: source.nodeName + ' ' }),
			(source) => ({ ...source, runIndex: source.runIndex + 1 }),
			(source) => ({ ...source, itemIndex: source.itemIndex + 1 }),
			(source) => ({ ...source, recipient: source.recipient + '0' }),
		);
		fc.assert(
			fc.property(sourceArbitrary, change, (source, changed) => {
				expect(deriveClientId(changed(source))).not.toBe(deriveClientId(source));
			}),
		);
	});

	it('gives 1200 recipients of one item 1200 distinct ids', () => {
		const ids = Array.from({ length: 1200 }, (_, index) => deriveClientId({ ...BASE, recipient: String(79_000_000_000 + index) }));
		expect(new Set(ids).size).toBe(1200);
		ids.forEach(expectValidId);
	});
});

describe('deriveDeduplicatedId', () => {
	const KEY: DeduplicationSource = { workflowId: 'tsmsExample01Ord', nodeName: 'Send SMS', key: '100045', recipient: '79001234567' };
	const keyArbitrary: fc.Arbitrary<DeduplicationSource> = fc.record({
		workflowId: fc.string({ maxLength: 16 }),
		nodeName: fc.string({ unit: 'grapheme', maxLength: 12 }),
		key: fc.string({ unit: 'grapheme', maxLength: 40 }),
		recipient: fc.string({ unit: fc.constantFrom('0', '1', '7', '9'), maxLength: 15 }),
	});

	it('depends on the key, the phone, the workflow and the node only, and is a valid id', () => {
		fc.assert(
			fc.property(keyArbitrary, (source) => {
				const id = deriveDeduplicatedId(source);
				expectValidId(id);
				expect(deriveDeduplicatedId({ ...source })).toBe(id);
			}),
		);
	});

	it.each<[string, Partial<DeduplicationSource>]>([
		['key', { key: '100045-reminder' }],
		['phone', { recipient: '79001234568' }],
		['workflow', { workflowId: 'tsmsExample02Rem' }],
		['node name', { nodeName: 'Send SMS1' }],
	])('changes with the %s', (_name, change) => {
		expect(deriveDeduplicatedId({ ...KEY, ...change })).not.toBe(deriveDeduplicatedId(KEY));
	});

	it('never meets the execution-derived id of the same phone', () => {
		fc.assert(
			fc.property(keyArbitrary, sourceArbitrary, (key, source) => {
				expect(deriveDeduplicatedId(key)).not.toBe(deriveClientId({ ...source, recipient: key.recipient }));
			}),
		);
	});
});

describe('derived ids never change between versions (a retry after an upgrade must send nothing twice)', () => {
	const source: ClientIdSource = {
		instanceId: '5f1c0f0e-instance',
		workflowId: 'wf1',
		executionAnchor: 'trigger:Webhook:1764582000000:0123456789abcdef',
		nodeName: 'Send SMS',
		runIndex: 0,
		itemIndex: 0,
		recipient: '79001234567',
	};

	it('gives the ids the first released derivation gave', () => {
		expect(deriveClientId(source)).toBe('5223973208156023');
		expect(deriveClientId({ ...source, itemIndex: 41, runIndex: 2, recipient: '79001234568' })).toBe('8589637649468485');
		expect(deriveClientId({ ...source, nodeName: 'Отправка "SMS"\\', recipient: 'client@example.org' })).toBe('7134974871363882');
		expect(deriveDeduplicatedId({ workflowId: 'wf1', nodeName: 'Send SMS', key: 'order-42-reminder', recipient: '79001234567' })).toBe(
			'2065270622033513',
		);
	});

	it('clientIdDeriver gives exactly deriveClientId\'s ids', () => {
		fc.assert(
			fc.property(sourceArbitrary, (id) => clientIdDeriver(id)(id.itemIndex, id.recipient) === deriveClientId(id)),
			{ numRuns: 300 },
		);
	});
});

describe('ids are fixed across versions', () => {
	// The provider remembers ids for good: a deduplication key sent by one version of the package and again by the
	// next must give the same id. These values are the first 64 bits of SHA-256 (big-endian) modulo 2^53.
	it('a derived id', () => {
		expect(deriveClientId(BASE)).toBe('7978366044424306');
	});

	it('a deduplication key id', () => {
		expect(deriveDeduplicatedId({ workflowId: 'tsmsExample01Ord', nodeName: 'Send order SMS', key: '100045', recipient: '79001234561' })).toBe(
			'152153324080561',
		);
	});

	it('the same reading as the digest modulo 2^53, for any text', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), (key, recipient) => {
				const text = JSON.stringify(['deduplicationKey', 'w', 'n', key, recipient]);
				const value = createHash('sha256').update(text).digest().readBigUInt64BE(0) % LIMIT;
				expect(deriveDeduplicatedId({ workflowId: 'w', nodeName: 'n', key, recipient })).toBe((value === 0n ? 1n : value).toString());
			}),
		);
	});
});

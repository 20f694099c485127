import type { IExecuteFunctions, INodeParameters } from 'n8n-workflow';

import { holdsExpression, itemParameterReader } from '../../nodes/shared/parameters';

/** A context whose parameters evaluate `={{ item }}` to the item index and count every read. */
function fakeContext(parameters: INodeParameters) {
	const reads: Array<[string, number]> = [];
	const passedOptions: Array<[string, object]> = [];
	const evaluate = (value: unknown, itemIndex: number): unknown => {
		if (typeof value === 'string') return value.startsWith('=') ? `${value.slice(1)}#${itemIndex}` : value;
		if (typeof value === 'object' && value !== null) {
			return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, evaluate(inner, itemIndex)]));
		}
		return value;
	};
	const context = {
		getNode: () => ({ parameters }),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown, options?: object) => {
			reads.push([name, itemIndex]);
			if (options !== undefined) passedOptions.push([name, options]);
			let value: unknown = parameters;
			for (const key of name.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
			if (value === 'throw') throw new Error(`item ${itemIndex}`);
			return value === undefined ? fallback : evaluate(value, itemIndex);
		},
	} as unknown as IExecuteFunctions;
	return { context, reads, passedOptions };
}

describe('itemParameterReader', () => {
	it('reads a parameter without an expression once per run, one with an expression for every item', () => {
		const { context, reads } = fakeContext({
			channel: 'sms',
			phones: '={{ $json.phone }}',
			options: { batchSize: 100 },
			viber: { text: 'a', button: '={{ $json.url }}' },
		});
		const read = itemParameterReader(context);
		for (let itemIndex = 0; itemIndex < 3; itemIndex++) {
			expect(read('channel', itemIndex)).toBe('sms');
			expect(read('phones', itemIndex)).toBe(`{{ $json.phone }}#${itemIndex}`);
			expect(read('options', itemIndex, {})).toEqual({ batchSize: 100 });
			expect(read('options.batchSize', itemIndex, 500)).toBe(100);
			expect(read('absent', itemIndex, 'fallback')).toBe('fallback');
			expect(read('viber', itemIndex)).toEqual({ text: 'a', button: `{{ $json.url }}#${itemIndex}` });
		}
		const count = (name: string) => reads.filter(([read]) => read === name).length;
		expect([count('channel'), count('options'), count('options.batchSize'), count('absent')]).toEqual([1, 1, 1, 1]);
		expect([count('phones'), count('viber')]).toEqual([3, 3]);
	});

	it('passes its options to n8n (a resource locator read with extractValue) and keeps a fixed value as any other', () => {
		const { context, reads, passedOptions } = fakeContext({
			sender: { __rl: true, mode: 'list', value: 'Shop' },
			byName: { __rl: true, mode: 'name', value: '={{ $json.s }}' },
		});
		const read = itemParameterReader(context);
		for (let itemIndex = 0; itemIndex < 2; itemIndex++) {
			read('sender', itemIndex, '', { extractValue: true });
			read('byName', itemIndex, '', { extractValue: true });
		}
		expect(reads).toEqual([
			['sender', 0],
			['byName', 0],
			['byName', 1],
		]);
		expect(passedOptions).toEqual(reads.map(([name]) => [name, { extractValue: true }]));
	});

	it('does not keep a read that failed: every item gets its own error', () => {
		const { context } = fakeContext({ broken: 'throw' });
		const read = itemParameterReader(context);
		expect(() => read('broken', 0)).toThrow('item 0');
		expect(() => read('broken', 1)).toThrow('item 1');
	});

	it.each([
		['=x', true],
		['x', false],
		['x ={{ 1 }}', false],
		[{ a: [{ b: '={{ 1 }}' }] }, true],
		[{ a: [{ b: 'x' }], c: 5, d: true, e: null }, false],
		[undefined, false],
	])('holdsExpression(%j) is %s', (value, expected) => {
		expect(holdsExpression(value)).toBe(expected);
	});
});

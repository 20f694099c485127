import { derivedWorkflowId, parseRunOutput, runErrors } from '../../scripts/n8n/instance';

describe('reading `n8n execute --rawOutput`', () => {
	const run = { data: { resultData: { runData: { A: [{ data: { main: [[{ json: { x: 1 } }]] } }] } } } };
	const printed = JSON.stringify(run, null, 2);

	test('takes the pretty JSON between log lines', () => {
		const stdout = `n8n Task Broker ready on 127.0.0.1, port 1\n[license SDK] {not json}\n${printed}\nRegistered runner "JS Task Runner"\n`;
		expect(parseRunOutput(stdout)).toEqual(run);
	});

	test('gives undefined when nothing was printed', () => {
		expect(parseRunOutput('Error: workflow not found\n')).toBeUndefined();
	});

	test('lists node errors and the run error', () => {
		const failed = {
			data: { resultData: { error: { message: 'run failed' }, runData: { B: [{ error: { message: 'bad', description: 'why' } }] } } },
		};
		expect(runErrors(failed)).toEqual([{ node: 'B', message: 'bad: why' }]);
		expect(runErrors({ data: { resultData: { error: { message: 'run failed', node: { name: 'C' } }, runData: {} } } })).toEqual([
			{ node: 'C', message: 'run failed' },
		]);
	});

	test('derives a stable 16-character id from a name', () => {
		expect(derivedWorkflowId('x')).toMatch(/^[0-9A-Za-z]{16}$/);
		expect(derivedWorkflowId('x')).toBe(derivedWorkflowId('x'));
		expect(derivedWorkflowId('x')).not.toBe(derivedWorkflowId('y'));
	});
});

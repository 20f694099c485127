/**
 * The fake provider in its own process, so that its CPU is not the measured process's: the TargetSMS sandbox with a
 * simulated latency, and the Email2SMS SMTP sandbox beside it. Driven over the IPC channel (see protocol.ts).
 * argv: [latencyMs].
 */
import { writeFileSync } from 'node:fs';

import { TargetSmsSandbox } from '../test/sandbox/server';
import { TargetSmsSmtpSandbox } from '../test/sandbox/smtp/server';
import type { ProviderAnswer, ProviderCommand } from './protocol';

async function main(): Promise<void> {
	const latencyMs = Number(process.argv[2] ?? '0');
	const http = new TargetSmsSandbox({ latencyMs });
	const url = await http.start();
	const smtpSandbox = new TargetSmsSmtpSandbox({ onAcceptedSms: (sms) => http.recordExternalSms(sms) });
	const smtp = await smtpSandbox.start();
	const answer = (message: ProviderAnswer) => process.send?.(message);

	process.on('message', (command: ProviderCommand) => {
		switch (command.type) {
			case 'reset':
				http.reset();
				smtpSandbox.reset();
				answer({ type: 'reset' });
				return;
			case 'stats': {
				const requests: Record<string, number> = {};
				for (const request of http.requests) requests[request.path] = (requests[request.path] ?? 0) + 1;
				answer({
					type: 'stats',
					requests,
					failedRequests: http.requests.filter((request) => request.status !== 200).length,
					emails: smtpSandbox.received.length,
					smtpConnections: smtpSandbox.connections,
				});
				return;
			}
			case 'dumpReplies': {
				const replies = http.requests.filter((request) => request.path === command.path).map((request) => request.responseBody);
				writeFileSync(command.file, JSON.stringify(replies));
				answer({ type: 'dumped', count: replies.length });
				return;
			}
		}
	});
	process.on('disconnect', () => {
		void Promise.all([http.stop(), smtpSandbox.stop()]).then(() => process.exit(0));
	});
	answer({ type: 'ready', url, smtp });
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});

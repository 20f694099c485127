import { TargetSmsSandbox } from './server';
import { startSmtpSandboxBeside } from './smtp/cli-support';

const DEFAULT_PORT = 8787;
const HOST = '127.0.0.1';

export const USAGE = [
	'Usage: node build-test/test/sandbox/cli.js [options]     (or: npm run sandbox -- [options])',
	'',
	'Starts the TargetSMS sandbox on 127.0.0.1: the HTTP API (SMS/Viber, email, OTP) and the Email2SMS SMTP gateway.',
	'Runs until Ctrl+C (SIGINT) or SIGTERM.',
	'',
	'Options:',
	`  --port N         HTTP port (default ${DEFAULT_PORT}, or TARGETSMS_SANDBOX_PORT; 0 = any free port)`,
	'  --smtp-port N    SMTP port (default 2525, or TARGETSMS_SMTP_SANDBOX_PORT; 0 = any free port)',
	'  --latency-ms N   each HTTP reply waits N ms (default 0, or TARGETSMS_SANDBOX_LATENCY_MS), as a real network would',
	'  -h, --help       print this help and exit',
	'',
	'What it accepts and refuses: test/sandbox/README.md.',
].join('\n');

function readPort(argv: readonly string[], environment: NodeJS.ProcessEnv): number {
	const flagIndex = argv.findIndex((argument) => argument === '--port' || argument.startsWith('--port='));
	const flag = argv[flagIndex];
	const fromFlag = flag === undefined ? undefined : flag.includes('=') ? flag.split('=')[1] : argv[flagIndex + 1];
	const text = fromFlag ?? environment.TARGETSMS_SANDBOX_PORT ?? String(DEFAULT_PORT);
	const port = Number(text);
	if (!/^[0-9]+$/.test(text) || port > 65535) {
		throw new Error(`Invalid port: ${text}`);
	}
	return port;
}

/** `--latency-ms N` (or `--latency-ms=N`), else `TARGETSMS_SANDBOX_LATENCY_MS`, else 0: each reply waits that long. */
function readLatency(argv: readonly string[], environment: NodeJS.ProcessEnv): number {
	const flagIndex = argv.findIndex((argument) => argument === '--latency-ms' || argument.startsWith('--latency-ms='));
	const flag = argv[flagIndex];
	const fromFlag = flag === undefined ? undefined : flag.includes('=') ? flag.split('=')[1] : argv[flagIndex + 1];
	const text = fromFlag ?? environment.TARGETSMS_SANDBOX_LATENCY_MS ?? '0';
	if (!/^[0-9]+$/.test(text)) {
		throw new Error(`Invalid latency: ${text}`);
	}
	return Number(text);
}

function banner(url: string): string {
	return [
		`TargetSMS sandbox listening on ${url}`,
		'',
		'Credentials for n8n ("TargetSMS API"):',
		`  login:      ${TargetSmsSandbox.DEFAULT_LOGIN}`,
		`  password:   ${TargetSmsSandbox.DEFAULT_PASSWORD}`,
		`  smsBaseUrl: ${url}`,
		`  apiBaseUrl: ${url}`,
		'',
		`Registered email return address (from): ${TargetSmsSandbox.DEFAULT_EMAIL_FROM}`,
		'',
		'Outcome by the last digit of the phone: 0 not a Viber user, 6 partly delivered,',
		'7 Viber delivered but never read, 8 not delivered, 9 expired, other digits delivered.',
		'OTP to a phone ending in 000000: not_valid_phone.',
		'Email by the recipient\'s local part: bounce… not delivered, spam… marked as spam,',
		'unsubscribe… unsubscribed, silent… delivery never reported, others delivered and opened.',
		'',
		`Delivery reports are pushed to the URL set through get_state.php; GET ${url}/sandbox/pushes lists them.`,
		`Incoming SMS: POST ${url}/sandbox/incoming {"from":"79001234567","text":"ДА"} (or --incoming PHONE:TEXT).`,
	].join('\n');
}

/** `--incoming PHONE:TEXT` (repeatable): incoming SMS injected at start, for `incoming.php`. */
function readIncoming(argv: readonly string[]): Array<{ from: string; text: string }> {
	const values: string[] = [];
	argv.forEach((argument, index) => {
		if (argument === '--incoming' && argv[index + 1] !== undefined) values.push(argv[index + 1]);
		else if (argument.startsWith('--incoming=')) values.push(argument.slice('--incoming='.length));
	});
	return values.map((value) => {
		const colon = value.indexOf(':');
		if (colon < 0) throw new Error(`--incoming needs PHONE:TEXT (got ${value})`);
		return { from: value.slice(0, colon), text: value.slice(colon + 1) };
	});
}

async function main(): Promise<void> {
	const argv = process.argv.slice(2);
	const sandbox = new TargetSmsSandbox({
		host: HOST,
		port: readPort(argv, process.env),
		latencyMs: readLatency(argv, process.env),
	});
	const url = await sandbox.start();
	for (const sms of readIncoming(process.argv.slice(2))) sandbox.injectIncomingSms(sms);
	const smtp = await startSmtpSandboxBeside(sandbox, process.argv.slice(2), process.env);
	process.stdout.write(`${banner(url)}\n\n${smtp.banner}\n\nPress Ctrl+C to stop.\n`);
	const shutdown = (): void => {
		void Promise.all([sandbox.stop(), smtp.sandbox.stop()]).then(() => process.exit(0));
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

const wantsHelp = process.argv.slice(2).some((argument) => argument === '--help' || argument === '-h');
(wantsHelp ? Promise.resolve(void process.stdout.write(`${USAGE}\n`)) : main()).catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});

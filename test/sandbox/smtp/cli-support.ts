import { type AcceptedSms, TargetSmsSmtpSandbox } from './server';

export const DEFAULT_SMTP_PORT = 2525;

/** `--smtp-port N` (or `--smtp-port=N`), else `TARGETSMS_SMTP_SANDBOX_PORT`, else 2525. */
export function readSmtpPort(argv: readonly string[], environment: NodeJS.ProcessEnv): number {
	const flagIndex = argv.findIndex((argument) => argument === '--smtp-port' || argument.startsWith('--smtp-port='));
	const flag = argv[flagIndex];
	const fromFlag = flag === undefined ? undefined : flag.includes('=') ? flag.split('=')[1] : argv[flagIndex + 1];
	const text = fromFlag ?? environment.TARGETSMS_SMTP_SANDBOX_PORT ?? String(DEFAULT_SMTP_PORT);
	const port = Number(text);
	if (!/^[0-9]+$/.test(text) || port > 65535) throw new Error(`Invalid SMTP port: ${text}`);
	return port;
}

/** What to type into n8n's "TargetSMS Email2SMS API" credential to use the sandbox. */
export function smtpBanner(address: { host: string; port: number }, sandbox: TargetSmsSmtpSandbox): string {
	return [
		`TargetSMS Email2SMS (SMTP) sandbox listening on ${address.host}:${address.port}`,
		'',
		'Credentials for n8n ("TargetSMS Email2SMS API"):',
		`  host:           ${address.host}`,
		`  port:           ${address.port}`,
		'  secure:         off (the sandbox has no TLS; the real gateway is reached over TLS)',
		`  user:           ${sandbox.smtpUser}`,
		`  password:       ${sandbox.smtpPassword}`,
		`  from:           ${sandbox.returnAddress}`,
		`  smsLogin:       ${sandbox.smsLogin}`,
		`  smsPassword:    ${sandbox.smsPassword}`,
		`  gatewayAddress: ${sandbox.gatewayAddress}`,
	].join('\n');
}

/**
 * Starts the SMTP sandbox beside a running HTTP sandbox on 127.0.0.1, recording each accepted SMS there (its
 * `recordExternalSms`) so that the HTTP sandbox's state endpoints know their id_sms.
 */
export async function startSmtpSandboxBeside(
	http: { recordExternalSms(sms: AcceptedSms): number },
	argv: readonly string[],
	environment: NodeJS.ProcessEnv,
): Promise<{ sandbox: TargetSmsSmtpSandbox; banner: string }> {
	const sandbox = new TargetSmsSmtpSandbox({
		host: '127.0.0.1',
		port: readSmtpPort(argv, environment),
		onAcceptedSms: (sms) => http.recordExternalSms(sms),
	});
	const address = await sandbox.start();
	return { sandbox, banner: smtpBanner(address, sandbox) };
}

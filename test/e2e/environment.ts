/**
 * One real n8n for a whole end-to-end run: n8n (from the cache, installed when missing) with a fresh user folder,
 * this package packed and installed with the README's manual install command (`npm install --omit=peer <tarball>` in
 * `~/.n8n/nodes`, on the cached Node.js 24), both sandboxes started in this process, and the sandbox credentials
 * imported with the sandboxes' actual addresses. `{ install: false }` leaves the package out (the editor test installs
 * it through n8n's Community nodes screen).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sandboxCredentials } from '../../scripts/n8n/credentials';
import { N8nInstance, packPackage } from '../../scripts/n8n/instance';
import { runManualInstall } from '../../scripts/n8n/manual-install';
import { formatDuration } from '../../scripts/n8n/process';
import { TargetSmsSandbox } from '../sandbox/server';
import { TargetSmsSmtpSandbox } from '../sandbox/smtp/server';

export class E2eEnvironment {
	private constructor(
		readonly instance: N8nInstance,
		readonly sandbox: TargetSmsSandbox,
		readonly sandboxUrl: string,
		readonly smtp: TargetSmsSmtpSandbox,
		readonly folder: string,
		/** The packed package (`npm pack` of the built dist/). */
		readonly tarball: string,
	) {}

	static async start(
		log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
		options: { install?: boolean } = {},
	): Promise<E2eEnvironment> {
		const folder = mkdtempSync(join(tmpdir(), 'targetsms-e2e-'));
		const sandbox = new TargetSmsSandbox();
		const smtp = new TargetSmsSmtpSandbox({ onAcceptedSms: (sms) => sandbox.recordExternalSms(sms) });
		try {
			const sandboxUrl = await sandbox.start();
			const smtpAddress = await smtp.start();
			const started = Date.now();
			const instance = await N8nInstance.create({ userFolder: join(folder, 'n8n'), log });
			log(`n8n ${instance.runtime.n8nVersion} ready (${formatDuration(Date.now() - started)}); installing the package …`);
			const tarball = await packPackage(join(folder, 'pack'));
			if (options.install !== false) {
				await runManualInstall('tarball', { home: instance.userFolder, nodeBinFolder: instance.runtime.nodeBinFolder, tarball });
			}
			await instance.importCredentials(sandboxCredentials(sandboxUrl, { ...smtpAddress, sandbox: smtp }));
			log(`Package ${options.install === false ? 'packed' : 'installed'} and credentials imported (${formatDuration(Date.now() - started)} in all).`);
			return new E2eEnvironment(instance, sandbox, sandboxUrl, smtp, folder, tarball);
		} catch (error) {
			await Promise.allSettled([sandbox.stop(), smtp.stop()]);
			rmSync(folder, { recursive: true, force: true });
			throw error;
		}
	}

	/** Stops the sandboxes and removes the user folder (kept when TARGETSMS_E2E_KEEP=1, for a look afterwards). */
	async stop(): Promise<void> {
		await Promise.allSettled([this.sandbox.stop(), this.smtp.stop()]);
		if (process.env.TARGETSMS_E2E_KEEP === '1') {
			process.stderr.write(`Kept the n8n user folder: ${this.instance.userFolder}\n`);
		} else {
			rmSync(this.folder, { recursive: true, force: true });
		}
	}
}

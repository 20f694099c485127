/**
 * Headless Chromium for the editor test, driven by playwright-core: the system's Chromium (Debian's `chromium`
 * package, `/usr/bin/chromium`; `TARGETSMS_CHROMIUM` points elsewhere), a fresh profile per run, the flags that work
 * on a machine without internet, and n8n's `data-test-id` attribute for `getByTestId`.
 *
 * Also where the test's pictures go: the screenshots (`test-output/screenshots/`, or `$TARGETSMS_SCREENSHOTS`, e.g.
 * `docs/screenshots` to refresh the committed set) and, when a step fails, a screenshot and the page's HTML in
 * `test-output/editor/`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

import { type BrowserContext, chromium, type Page, selectors } from 'playwright-core';

import { repositoryRoot } from '../../../scripts/n8n/paths';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** A readable size for the screenshots: the whole node details view fits without scrolling. */
export const VIEWPORT = { width: 1440, height: 900 };

/** Without the networking flags Chromium keeps trying to reach Google's services, which a closed network refuses. */
const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export function chromiumPath(environment: NodeJS.ProcessEnv = process.env): string {
	return environment.TARGETSMS_CHROMIUM || DEFAULT_CHROMIUM;
}

export interface EditorBrowser {
	context: BrowserContext;
	page: Page;
	close(): Promise<void>;
}

export async function launchBrowser(options: { executablePath?: string; timeoutMs?: number } = {}): Promise<EditorBrowser> {
	const executablePath = options.executablePath ?? chromiumPath();
	if (!existsSync(executablePath)) {
		throw new Error(
			`No Chromium at ${executablePath}. Install Debian's package (apt-get update && apt-get install -y chromium) ` +
				'or set TARGETSMS_CHROMIUM to a Chromium binary.',
		);
	}
	selectors.setTestIdAttribute('data-test-id');
	const profile = mkdtempSync(join(tmpdir(), 'targetsms-chromium-'));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath,
			headless: true,
			args: CHROMIUM_FLAGS,
			viewport: VIEWPORT,
			locale: 'en-US',
			timezoneId: 'Europe/Moscow',
		});
	} catch (error) {
		rmSync(profile, { recursive: true, force: true });
		throw error;
	}
	context.setDefaultTimeout(options.timeoutMs ?? 30_000);
	// n8n's end-to-end mode (which the community install test needs, see N8nServer.enableCustomCommunityRegistry)
	// frames the page in red with an "E2E MODE" label: kept out of the screenshots.
	await context.addInitScript({
		content:
			"document.addEventListener('DOMContentLoaded', () => { const style = document.createElement('style'); " +
			"style.textContent = '[data-test-id=\"e2e-test-mode-marker\"] { display: none !important; }'; document.head.appendChild(style); });",
	});
	const page = context.pages()[0] ?? (await context.newPage());
	// Leaving a workflow with unsaved changes asks through `beforeunload`: leave.
	page.on('dialog', (dialog) => void dialog.accept().catch(() => undefined));
	return {
		context,
		page,
		async close() {
			await context.close().catch(() => undefined);
			rmSync(profile, { recursive: true, force: true });
		},
	};
}

/** `$TARGETSMS_SCREENSHOTS` (relative to the repository) or `test-output/screenshots/`. */
export function screenshotFolder(environment: NodeJS.ProcessEnv = process.env): string {
	const configured = environment.TARGETSMS_SCREENSHOTS;
	const root = repositoryRoot();
	if (!configured) return join(root, 'test-output', 'screenshots');
	return isAbsolute(configured) ? configured : resolve(root, configured);
}

export function failureFolder(): string {
	return join(repositoryRoot(), 'test-output', 'editor');
}

/**
 * Saves `<name>.png` into the screenshot folder and returns its path. The pointer is moved to an empty strip at the
 * top and the focused field left first, so that no hover or focus highlight is in the picture.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
	const folder = screenshotFolder();
	mkdirSync(folder, { recursive: true });
	await page.mouse.move(VIEWPORT.width / 2, 2);
	const focused = page.locator('*:focus');
	if ((await focused.count()) > 0) await focused.first().blur();
	const file = join(folder, `${name}.png`);
	await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
	return file;
}

/**
 * Runs one step of the test; when it throws, saves what the browser showed (`<step>.png`, `<step>.html`) and
 * anything else given (`<step>.<name>`) into `test-output/editor/`, and names the files in the error.
 */
export async function diagnosed<T>(
	page: Page,
	step: string,
	body: () => Promise<T>,
	extra: () => Record<string, string> = () => ({}),
): Promise<T> {
	try {
		return await body();
	} catch (error) {
		const folder = failureFolder();
		mkdirSync(folder, { recursive: true });
		const base = join(folder, step.replace(/[^A-Za-z0-9._-]+/g, '-'));
		const saved: string[] = [];
		try {
			await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 10_000 });
			saved.push(`${base}.png`);
		} catch {
			// the page may be gone
		}
		try {
			writeFileSync(`${base}.html`, await page.content());
			saved.push(`${base}.html`);
		} catch {
			// likewise
		}
		for (const [suffix, text] of Object.entries(extra())) {
			writeFileSync(`${base}.${suffix}`, text);
			saved.push(`${base}.${suffix}`);
		}
		if (error instanceof Error) {
			error.message += `\n\nPage ${page.url()}; saved: ${saved.join(', ') || 'nothing'}`;
		}
		throw error;
	}
}

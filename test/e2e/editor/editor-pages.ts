/**
 * The parts of n8n's editor (2.41) the browser test uses, found by n8n's own `data-test-id` attributes — the ones
 * n8n's Playwright suite (`packages/testing/playwright/pages/`) relies on:
 *
 * | part | test ids |
 * | --- | --- |
 * | sign-in form | `emailOrLdapLoginId`, `password` (each wraps an `<input>`), `form-submit-button` |
 * | canvas | `canvas`, `node-creator-plus-button` (the "+" at the top right), `canvas-node`, `zoom-to-fit`, `workflow-name-input` with its `inline-edit-input` |
 * | node creator | `node-creator`, `node-creator-search-bar`, `item-iterator-item`, `node-creator-item-name` |
 * | node details view | `ndv`, `node-title-container`, `parameter-input-<parameter name>`, `node-credentials-select`, `node-execute-button` ("Execute step"), `ndv-close-button` |
 * | resource locator | `resource-locator-<parameter name>` with its `rlc-mode-selector` and `rlc-input`; its list's `rlc-item`s (teleported) |
 * | output panel | `output-panel`, `node-run-status-success` / `node-run-status-danger`, `radio-button-json`, `ndv-data-container`, `ndv-items-count` |
 *
 * Dropdown options are teleported to the page's end: they are found by role (`option`) and their exact label.
 */
import type { Locator, Page } from 'playwright-core';

/** Polls `probe` until it returns something other than undefined; fails with `what` and the last value seen. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			last = error instanceof Error ? error.message : error;
		}
		if (Date.now() > deadline) {
			throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}${last === undefined ? '' : ` (last: ${String(last)})`}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

export class SignInPage {
	constructor(
		private readonly page: Page,
		private readonly baseUrl: string,
	) {}

	/** Fills the sign-in form, submits it and waits to leave `/signin` for the workflows overview. */
	async signIn(email: string, password: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`);
		await this.page.getByTestId('emailOrLdapLoginId').locator('input').fill(email);
		await this.page.getByTestId('password').locator('input').fill(password);
		await this.page.getByTestId('form-submit-button').click();
		await this.page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	}
}

export class Canvas {
	readonly nodeCreator: NodeCreator;
	readonly ndv: NodeDetailsView;

	constructor(
		private readonly page: Page,
		private readonly baseUrl: string,
	) {
		this.nodeCreator = new NodeCreator(page);
		this.ndv = new NodeDetailsView(page);
	}

	get root(): Locator {
		return this.page.getByTestId('canvas');
	}

	nodes(): Locator {
		return this.root.getByTestId('canvas-node');
	}

	/** An empty workflow (n8n saves it on the first change and moves to `/workflow/<id>`). */
	async openNewWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.root.waitFor();
		await this.page.getByTestId('node-creator-plus-button').waitFor();
	}

	/** Renames the workflow through its name in the header. */
	async renameWorkflow(name: string): Promise<void> {
		const title = this.page.getByTestId('workflow-name-input');
		await title.click();
		const input = title.getByTestId('inline-edit-input');
		await input.fill(name);
		await input.press('Enter');
		await waitFor(`the workflow to be called "${name}"`, async () =>
			(await title.innerText()).trim() === name ? true : undefined,
		);
	}

	/**
	 * Searches the node creator for `search`, picks `node` and then its action (`action`: the text of an entry in the
	 * node's actions panel, such as "Send a message", or "Add to workflow" for a node that lists no actions), and waits
	 * for the node details view of the new node. On an empty canvas n8n puts a Manual Trigger in front of it.
	 */
	async addNode(search: string, node: string, action: string): Promise<void> {
		await this.nodeCreator.open();
		await this.nodeCreator.search(search);
		await this.nodeCreator.selectNode(node);
		await this.nodeCreator.selectAction(action);
		await this.ndv.root.waitFor();
	}

	/** Closes n8n's toasts ("Node executed successfully" …) so that they do not cover a screenshot. */
	async closeToasts(): Promise<void> {
		const toasts = this.page.locator('.el-notification').filter({ visible: true });
		await waitFor('the toasts to be gone', async () => {
			if ((await toasts.count()) === 0) return true;
			// A toast may be sliding in or out (then it moves or leaves the page under the click): try again.
			await toasts
				.first()
				.locator('.el-notification__closeBtn')
				.click({ timeout: 1_000 })
				.catch(() => undefined);
			return undefined;
		});
	}

	async zoomToFit(): Promise<void> {
		await this.page.getByTestId('zoom-to-fit').click();
	}
}

export class NodeCreator {
	constructor(private readonly page: Page) {}

	get root(): Locator {
		return this.page.getByTestId('node-creator');
	}

	async open(): Promise<void> {
		await this.page.getByTestId('node-creator-plus-button').click();
		await this.root.waitFor();
	}

	async search(text: string): Promise<void> {
		await this.page.getByTestId('node-creator-search-bar').fill(text);
	}

	/** The names of the listed nodes, once the list holds every one of `expected` (after a search, say). */
	async waitForNodes(expected: readonly string[]): Promise<string[]> {
		return await waitFor(`the node creator to list ${expected.join(', ')}`, async () => {
			const names = (await this.root.getByTestId('node-creator-item-name').allInnerTexts()).map((name) => name.trim());
			return expected.every((name) => names.includes(name)) ? names : undefined;
		});
	}

	item(name: string): Locator {
		return this.root
			.getByTestId('item-iterator-item')
			.filter({ has: this.page.getByTestId('node-creator-item-name').getByText(name, { exact: true }) });
	}

	async selectNode(name: string): Promise<void> {
		await this.item(name).click();
	}

	/** Clicks the entry of the node's actions panel whose text is exactly `action`. */
	async selectAction(action: string): Promise<void> {
		// A node merged with its trigger (TargetSMS and TargetSMS Trigger) lists "Triggers" and "Actions"; on an empty
		// canvas n8n folds the actions away.
		const folded = this.root.locator(
			'[data-category-collapsed="true"] > [data-test-id="node-creator-category-item"][data-keyboard-nav-id="Actions"]',
		);
		if ((await folded.count()) > 0) await folded.first().click();
		await this.root
			.getByTestId('item-iterator-item')
			.filter({ has: this.page.getByText(action, { exact: true }) })
			.click();
	}
}

export class NodeDetailsView {
	constructor(private readonly page: Page) {}

	get root(): Locator {
		return this.page.getByTestId('ndv');
	}

	get outputPanel(): Locator {
		return this.root.getByTestId('output-panel');
	}

	async title(): Promise<string> {
		return (await this.root.getByTestId('node-title-container').innerText()).trim();
	}

	parameter(name: string): Locator {
		return this.root.getByTestId(`parameter-input-${name}`);
	}

	/** Types into a string parameter (one-line input or text area) and checks that it holds the value. */
	async fill(name: string, value: string): Promise<void> {
		const field = this.parameter(name).locator('input, textarea').first();
		await field.fill(value);
		await waitFor(`parameter ${name} to hold "${value}"`, async () => ((await field.inputValue()) === value ? true : undefined));
	}

	/** A resource locator parameter (`resource-locator-<name>`) and its value's input. */
	private resourceLocator(name: string): { root: Locator; input: Locator } {
		const root = this.root.getByTestId(`resource-locator-${name}`);
		return { root, input: root.locator('input[data-test-id="rlc-input"], [data-test-id="rlc-input"] input').first() };
	}

	/**
	 * Opens a resource locator's list (mode From List), waits for it to hold `expected` (the names the node's list
	 * method gave, in order), clicks `item` and waits for the locator to show it. Returns the listed names.
	 */
	async pickFromList(name: string, item: string, expected: readonly string[]): Promise<string[]> {
		const { input } = this.resourceLocator(name);
		await input.click();
		// The list is teleported to the page's end, away from the locator.
		const items = this.page.getByTestId('rlc-item').filter({ visible: true });
		const listed = await waitFor(`the list of ${name} to hold ${expected.join(', ')}`, async () => {
			const names = (await items.allInnerTexts()).map((text) => text.trim());
			return names.length === expected.length && expected.every((entry, index) => names[index] === entry) ? names : undefined;
		});
		await items.filter({ hasText: item }).first().click();
		await waitFor(`parameter ${name} to show "${item}"`, async () => ((await input.inputValue()) === item ? true : undefined));
		return listed;
	}

	/** Switches a resource locator to its By Name mode and types `value` into it. */
	async typeByName(name: string, value: string): Promise<void> {
		const { root, input } = this.resourceLocator(name);
		await root.getByTestId('rlc-mode-selector').click();
		await this.visibleOption('By Name').click();
		await input.fill(value);
		await waitFor(`parameter ${name} to hold "${value}"`, async () => ((await input.inputValue()) === value ? true : undefined));
	}

	/** Picks `option` (its label) in an options parameter and waits for the select to show it. */
	async select(name: string, option: string): Promise<void> {
		const select = this.parameter(name);
		await select.click();
		await this.visibleOption(option).click();
		const field = select.locator('input').first();
		await waitFor(`parameter ${name} to show "${option}"`, async () => ((await field.inputValue()) === option ? true : undefined));
	}

	/** Opens the credential select, picks the credential called `name` and waits for the select to show it. */
	async selectCredential(name: string): Promise<void> {
		const select = this.root.getByTestId('node-credentials-select');
		await select.click();
		await this.visibleOption(name).click();
		await waitFor(`the credential "${name}" to be selected`, async () =>
			(await this.selectedCredential()) === name ? true : undefined,
		);
	}

	async selectedCredential(): Promise<string> {
		return await this.root.getByTestId('node-credentials-select').locator('input').first().inputValue();
	}

	/**
	 * Clicks "Execute step" and waits for the output panel's run status. Throws with the panel's text when the node
	 * failed.
	 */
	async execute(timeoutMs = 120_000): Promise<void> {
		await this.root.getByTestId('node-execute-button').click();
		const status = this.outputPanel.locator('[data-test-id^="node-run-status-"]');
		await status.first().waitFor({ timeout: timeoutMs });
		const testId = await status.first().getAttribute('data-test-id');
		if (testId !== 'node-run-status-success') {
			throw new Error(`The step did not succeed (${String(testId)}). Output panel:\n${await this.outputPanel.innerText()}`);
		}
	}

	/** "1 item", "2 items" … above the output. */
	async outputItemCount(): Promise<string> {
		return (await this.outputPanel.getByTestId('ndv-items-count').innerText()).trim();
	}

	/** Switches the output panel to its JSON view and parses what it shows. */
	async outputJson(): Promise<Array<Record<string, unknown>>> {
		await this.outputPanel.getByTestId('radio-button-json').click();
		const data = this.outputPanel.getByTestId('ndv-data-container');
		return await waitFor('the output panel to show JSON', async () => {
			// The view indents with no-break spaces, which JSON does not take as white space.
			const text = (await data.innerText()).replace(/\u00a0/g, ' ');
			try {
				const parsed = JSON.parse(text) as unknown;
				return Array.isArray(parsed) ? (parsed as Array<Record<string, unknown>>) : undefined;
			} catch {
				throw new Error(`not JSON yet: ${text.slice(0, 300)}`);
			}
		});
	}

	async close(): Promise<void> {
		await this.root.getByTestId('ndv-close-button').click();
		await this.root.waitFor({ state: 'hidden' });
	}

	/** An open dropdown's option whose label is exactly `label` (options may carry a description below it). */
	private visibleOption(label: string): Locator {
		return this.page
			.getByRole('option')
			.filter({ has: this.page.getByText(label, { exact: true }) })
			.filter({ visible: true })
			.first();
	}
}

/**
 * Settings → Community nodes (test ids `community-package-card`, `action-toggle`, `action-uninstall`; the install
 * modal's `package-name-input`, `user-agreement-checkbox`, `install-community-package-button`; confirmations are
 * dialogs with "Confirm update" / "Confirm uninstall").
 */
export class CommunityNodesPage {
	constructor(
		private readonly page: Page,
		private readonly baseUrl: string,
	) {}

	async open(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/settings/community-nodes`);
		// The list (cards) or, with no package installed, the empty page with its Install button.
		await this.page.locator('[data-test-id="community-package-card"], [data-test-id="empty-state"]').first().waitFor();
	}

	card(name: string): Locator {
		return this.page.getByTestId('community-package-card').filter({ hasText: name });
	}

	/** The Install button (the empty page's or the header's), the package name, the risk checkbox, Install. */
	async install(name: string, timeoutMs = 180_000): Promise<void> {
		await this.page.getByRole('button', { name: /install/i }).first().click();
		await this.page.getByTestId('package-name-input').fill(name);
		await this.page.getByTestId('user-agreement-checkbox').click();
		await this.page.getByTestId('install-community-package-button').click();
		await this.card(name).waitFor({ timeout: timeoutMs });
	}

	/** The card's Update, then "Confirm update"; resolves once the card shows `v<version>`. */
	async update(name: string, version: string, timeoutMs = 180_000): Promise<void> {
		await this.card(name).getByRole('button', { name: 'Update' }).click();
		await this.page.getByRole('dialog').getByRole('button', { name: 'Confirm update' }).click();
		await this.card(name).filter({ hasText: `v${version}` }).waitFor({ timeout: timeoutMs });
	}

	/** The card's menu → Uninstall package → "Confirm uninstall"; resolves once the card is gone. */
	async uninstall(name: string, timeoutMs = 120_000): Promise<void> {
		await this.card(name).getByTestId('action-toggle').click();
		await this.page.getByTestId('action-uninstall').click();
		await this.page.getByRole('dialog').getByRole('button', { name: 'Confirm uninstall' }).click();
		await this.card(name).waitFor({ state: 'detached', timeout: timeoutMs });
	}
}

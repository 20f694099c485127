/**
 * Requests that public TargetSMS clients written by others send, byte for byte: what their code puts on the wire
 * for the inputs given here, written from reading what it does (no code of theirs is copied or run). The sandbox must
 * accept each of them, since the real server does; `public-clients.test.ts` replays them. The sandbox's README
 * ("Tolerances, and the public clients behind them") lists the behaviour each one reproduces.
 *
 * Every fixture uses the sandbox's account (login `demo`, password `demo1234`) and its registered return address.
 */

export interface PublicClientRequest {
	/** Who sends it: the client's name and where its code is public. */
	client: string;
	/** What of its behaviour the bytes reproduce, and why the sandbox must accept it. */
	behaviour: string;
	method: 'POST';
	path: string;
	/** The Content-Type header exactly as the client sets it. */
	contentType: string;
	/** The body, exactly. */
	body: Buffer;
}

const LOGIN = 'demo';
const PASSWORD = 'demo1234';

/**
 * TargetSMS's own PHP class for the OTP API ("@author TargetSMS", `class TargetSMS`, `generateCode`), which the
 * provider's WordPress plugin for SMS sign-in (targetvr, `inc/class-targetsms.php`) ships: the document is a PHP
 * string literal indented as the source is, so every element starts on a new line after LF and 16–21 spaces; the
 * header is `Content-type: text/xml; charset=utf-8`. The plugin passes the phone through its `targetvr_clear_phone`
 * (digits only, no `+`: it prints `+%s` itself when it tells the user where the code went), the code length from its
 * settings (default 6) and a text with `{код}`.
 */
function providerOtpClass(phone: string, length: number, text: string): Buffer {
	const pad = (spaces: number): string => `\n${' '.repeat(spaces)}`;
	return Buffer.from(
		'<?xml version="1.0" encoding="utf-8"?>' +
			`${pad(16)}<request>` +
			`${pad(17)}<security>` +
			`${pad(21)}<login>${LOGIN}</login>` +
			`${pad(21)}<password>${PASSWORD}</password>` +
			`${pad(17)}</security>` +
			`${pad(17)}<phone>${phone}</phone>` +
			`${pad(17)}<sender>MyShop</sender>` +
			`${pad(17)}<random_string_len>${length}</random_string_len>` +
			`${pad(17)}<text>${text}</text>` +
			`${pad(16)}</request>`,
		'utf8',
	);
}

/**
 * agoalofalife/targetsms (PHP, Packagist `agoalofalife/targetsms`), `State::generateXml`: a DOMDocument('1.0',
 * 'utf-8') serialised with `saveXML()`, which writes a line feed after the XML declaration and one after the root
 * element, everything else on one line; the state request is `<get_state><id_sms>N</id_sms>…</get_state>` to
 * `…/xml/state.php`, header `Content-type: text/xml; charset=utf-8`.
 */
function agoalofalifeState(ids: readonly number[]): Buffer {
	return Buffer.from(
		'<?xml version="1.0" encoding="utf-8"?>\n' +
			`<request><security><login value="${LOGIN}"/><password value="${PASSWORD}"/></security>` +
			`<get_state>${ids.map((id) => `<id_sms>${id}</id_sms>`).join('')}</get_state></request>\n`,
		'utf8',
	);
}

/**
 * The SMS document's own sending example (001_36f0a782db1903af.txt, "Пример передачи XML документа на php"): a PHP
 * string with a line feed after each element, `<login value="…" />` with a space before the slash, and the header
 * array `'Content-type: text/xml','charset=utf-8'` (so Content-Type is plain `text/xml`). Here with one message.
 */
function documentPhpExample(): Buffer {
	return Buffer.from(
		[
			'<?xml version="1.0" encoding="utf-8"?>',
			'<request>',
			'<security>',
			`<login value="${LOGIN}" />`,
			`<password value="${PASSWORD}" />`,
			'</security>',
			'<message>',
			'<send_sms>1</send_sms>',
			'<sender_sms>MyShop</sender_sms>',
			'<text_sms>Заказ №1042 собран</text_sms>',
			'<abonent phone="79001234561" client_id_message="1042"/>',
			'</message>',
			'</request>',
		].join('\n'),
		'utf8',
	);
}

/**
 * A letter as PHP writes base64 for mail: `chunk_split(base64_encode($html))`, lines of 76 characters each ended by
 * CR LF, the last one too (RFC 2045 §6.8's limit, which MIME tools keep). No public TargetSMS email client was found
 * to read; this is PHP's own encoder's output, which any PHP client that wraps its letter sends.
 */
export function phpChunkSplitBase64(text: string): string {
	const encoded = Buffer.from(text, 'utf8').toString('base64');
	return (encoded.match(/.{1,76}/g) ?? []).map((line) => `${line}\r\n`).join('');
}

export const LETTER_HTML =
	'<html><body><p>Анна, ваш заказ №1042 собран и ждёт вас в магазине на Тверской, 7. Мы храним заказы 5 дней.</p>' +
	'<p>С уважением, магазин MyShop</p></body></html>';

/** The email document's XML example shape (indented with two spaces per level) carrying a wrapped letter. */
function wrappedLetterXml(from: string): Buffer {
	return Buffer.from(
		[
			'<?xml version="1.0" encoding="utf-8"?>',
			'<request>',
			'  <security>',
			`    <login>${LOGIN}</login>`,
			`    <password>${PASSWORD}</password>`,
			'  </security>',
			`  <from>${from}</from>`,
			'  <email to="anna@example.ru" subject="Заказ №1042" id_message="1042">',
			`    <letter>${phpChunkSplitBase64(LETTER_HTML)}</letter>`,
			'  </email>',
			'</request>',
		].join('\n'),
		'utf8',
	);
}

/** The same letter through the JSON format, as PHP's json_encode writes the CR LF line ends (`\r\n`). */
function wrappedLetterJson(from: string): Buffer {
	return Buffer.from(
		JSON.stringify({
			security: { login: LOGIN, password: PASSWORD },
			from,
			email: { letter: phpChunkSplitBase64(LETTER_HTML), id_message: '1043', to: 'anna@example.ru', subject: 'Заказ №1042' },
		}),
		'utf8',
	);
}

export const OTP_TEXT = 'Код для входа на сайт: {код}';

export function publicClientRequests(options: { emailFrom: string; smsIds: readonly number[] }): PublicClientRequest[] {
	return [
		{
			client: "TargetSMS's PHP OTP class, shipped in the provider's WordPress sign-in plugin (targetvr)",
			behaviour: 'indented document (LF and spaces between elements); phone as digits without +; code length 6',
			method: 'POST',
			path: '/password_generation/api.php',
			contentType: 'text/xml; charset=utf-8',
			body: providerOtpClass('79001234567', 6, OTP_TEXT),
		},
		{
			client: "TargetSMS's PHP OTP class, called with the document's +phone and a 9-digit code",
			behaviour: 'a code length outside the OTP node’s 4–8 (the document sets no range)',
			method: 'POST',
			path: '/password_generation/api.php',
			contentType: 'text/xml; charset=utf-8',
			body: providerOtpClass('+79001234568', 9, OTP_TEXT),
		},
		{
			client: 'agoalofalife/targetsms (PHP), State',
			behaviour: "DOMDocument::saveXML(): a line feed after the declaration and after </request>",
			method: 'POST',
			path: '/xml/state.php',
			contentType: 'text/xml; charset=utf-8',
			body: agoalofalifeState(options.smsIds),
		},
		{
			client: "the SMS document's own PHP sending example",
			behaviour: 'a line feed after every element, `<login value="…" />`, Content-Type text/xml without a charset',
			method: 'POST',
			path: '/xml/message.php',
			contentType: 'text/xml',
			body: documentPhpExample(),
		},
		{
			client: "a PHP client wrapping the letter with chunk_split(base64_encode(…)), XML as the email document's example",
			behaviour: 'base64 in lines of 76 characters ended by CR LF; indented document',
			method: 'POST',
			path: '/clients/api.php',
			contentType: 'text/xml; charset=utf-8',
			body: wrappedLetterXml(options.emailFrom),
		},
		{
			client: 'a PHP client wrapping the letter with chunk_split(base64_encode(…)), JSON through json_encode',
			behaviour: 'base64 in lines of 76 characters ended by CR LF (\\r\\n in the JSON string)',
			method: 'POST',
			path: '/clients/api.php',
			contentType: 'application/json; charset=utf-8',
			body: wrappedLetterJson(options.emailFrom),
		},
	];
}

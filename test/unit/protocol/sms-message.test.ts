import { ProviderRefusalError, UnexpectedResponseError } from '../../../nodes/shared/protocol/errors';
import { buildSendRequest, parseSendResponse } from '../../../nodes/shared/protocol/sms/message';
import type { OutgoingMessage } from '../../../nodes/shared/protocol/sms/types';
import { childNames, parseDocument } from '../support/strict-xml';

const LOGIN = { login: 'user', password: 'p&ss"w' };

const CASCADE: OutgoingMessage = {
	content: {
		viberOrder: 1,
		smsOrder: 2,
		deliveryName: 'Акция',
		sendTime: '2026-11-23 13:00',
		viberSender: 'Shop',
		viberText: 'Скидка 10%\nдо пятницы',
		buttonText: 'Купить',
		buttonUrl: 'https://shop.example/a?b=1&c=2',
		imageUrl: 'https://shop.example/i.png',
		viberValidityMinutes: 60,
		viberReadIsFinal: true,
		smsSender: 'Shop',
		smsText: 'Скидка <10%> & "подарок"',
	},
	recipients: [
		{ phone: '79801234567', clientMessageId: '111' },
		{ phone: '79800000001', clientMessageId: '112' },
	],
};

const SMS_ONLY: OutgoingMessage = {
	content: {
		viberOrder: 0,
		smsOrder: 1,
		smsSender: 'Shop',
		smsText: 'Line 1\r\nLine 2\rLine 3',
		viberSender: 'Unused',
		viberText: 'unused',
		buttonText: 'unused',
		buttonUrl: 'https://unused.example',
		viberValidityMinutes: 5,
		viberReadIsFinal: true,
	},
	recipients: [{ phone: '79800000002', clientMessageId: '113' }],
};

const VIBER_ONLY: OutgoingMessage = {
	content: {
		viberOrder: 1,
		smsOrder: 0,
		viberSender: 'Shop',
		viberText: 'Hi',
		viberReadIsFinal: false,
		smsSender: 'Unused',
		smsText: 'unused',
	},
	recipients: [{ phone: '79800000003', clientMessageId: '114' }],
};

const EXPECTED_REQUEST =
	'<?xml version="1.0" encoding="utf-8"?>' +
	'<request>' +
	'<security><login value="user"/><password value="p&amp;ss&quot;w"/></security>' +
	'<message>' +
	'<send_viber>1</send_viber><send_sms>2</send_sms>' +
	'<name_delivery>Акция</name_delivery><time_send>2026-11-23 13:00</time_send>' +
	'<sender_viber>Shop</sender_viber><text_viber>Скидка 10%\\nдо пятницы</text_viber>' +
	'<button_text>Купить</button_text><button_url>https://shop.example/a?b=1&amp;c=2</button_url>' +
	'<image_url>https://shop.example/i.png</image_url>' +
	'<validity_period_viber>60</validity_period_viber><finale_viber_read>1</finale_viber_read>' +
	'<sender_sms>Shop</sender_sms><text_sms>Скидка &lt;10%&gt; &amp; &quot;подарок&quot;</text_sms>' +
	'<abonent phone="79801234567" client_id_message="111"/>' +
	'<abonent phone="79800000001" client_id_message="112"/>' +
	'</message>' +
	'<message>' +
	'<send_viber>0</send_viber><send_sms>1</send_sms>' +
	'<sender_sms>Shop</sender_sms><text_sms>Line 1\\nLine 2\\nLine 3</text_sms>' +
	'<abonent phone="79800000002" client_id_message="113"/>' +
	'</message>' +
	'<message>' +
	'<send_viber>1</send_viber><send_sms>0</send_sms>' +
	'<sender_viber>Shop</sender_viber><text_viber>Hi</text_viber><finale_viber_read>0</finale_viber_read>' +
	'<abonent phone="79800000003" client_id_message="114"/>' +
	'</message>' +
	'</request>';

/** The document's element order inside `<message>`. */
const DOCUMENT_ORDER = [
	'send_viber',
	'send_sms',
	'name_delivery',
	'time_send',
	'sender_viber',
	'text_viber',
	'button_text',
	'button_url',
	'image_url',
	'validity_period_viber',
	'finale_viber_read',
	'sender_sms',
	'text_sms',
	'abonent',
];

describe('buildSendRequest', () => {
	const body = buildSendRequest(LOGIN, [CASCADE, SMS_ONLY, VIBER_ONLY]);

	it('writes exactly the expected document for a hand-written case', () => {
		expect(body).toBe(EXPECTED_REQUEST);
	});

	it('starts with the XML declaration and carries no raw line break', () => {
		expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?><request>')).toBe(true);
		expect(body).not.toMatch(/[\r\n]/);
	});

	it('keeps the document order of elements, with the recipients last', () => {
		const root = parseDocument(body);
		expect(root.name).toBe('request');
		expect(childNames(root)).toEqual(['security', 'message', 'message', 'message']);
		for (const message of root.children.slice(1)) {
			const positions = childNames(message).map((name) => DOCUMENT_ORDER.indexOf(name));
			expect(positions.every((position) => position >= 0)).toBe(true);
			expect([...positions].sort((a, b) => a - b)).toEqual(positions);
		}
	});

	it('omits the fields of a channel that is not used and writes booleans as 0/1', () => {
		const [, cascade, smsOnly, viberOnly] = parseDocument(body).children;
		expect(childNames(cascade)).toEqual(DOCUMENT_ORDER.concat('abonent'));
		expect(childNames(smsOnly)).toEqual(['send_viber', 'send_sms', 'sender_sms', 'text_sms', 'abonent']);
		expect(childNames(viberOnly)).toEqual([
			'send_viber',
			'send_sms',
			'sender_viber',
			'text_viber',
			'finale_viber_read',
			'abonent',
		]);
		expect(cascade.children.find((child) => child.name === 'finale_viber_read')?.text).toBe('1');
		expect(viberOnly.children.find((child) => child.name === 'finale_viber_read')?.text).toBe('0');
	});

	it('writes every recipient as <abonent phone client_id_message/> with nothing inside', () => {
		const abonents = parseDocument(body)
			.children.slice(1)
			.flatMap((message) => message.children.filter((child) => child.name === 'abonent'));
		expect(abonents.map((abonent) => abonent.attributes)).toEqual([
			{ phone: '79801234567', client_id_message: '111' },
			{ phone: '79800000001', client_id_message: '112' },
			{ phone: '79800000002', client_id_message: '113' },
			{ phone: '79800000003', client_id_message: '114' },
		]);
		expect(abonents.every((abonent) => abonent.children.length === 0 && abonent.text === '')).toBe(true);
	});

	it('reads the credentials back exactly from the value attributes', () => {
		const security = parseDocument(body).children[0];
		expect(security.children.map((child) => [child.name, child.attributes])).toEqual([
			['login', { value: 'user' }],
			['password', { value: 'p&ss"w' }],
		]);
	});

	it('writes a request without messages as the security block alone', () => {
		const root = parseDocument(buildSendRequest(LOGIN, []));
		expect(childNames(root)).toEqual(['security']);
	});

	it('refuses a value XML cannot carry instead of writing it', () => {
		const withControl: OutgoingMessage = {
			content: { ...SMS_ONLY.content, smsText: 'ab\u0001c' },
			recipients: SMS_ONLY.recipients,
		};
		expect(() => buildSendRequest(LOGIN, [withControl])).toThrow(/text_sms.*U\+0001 at position 3/);
		const withLoneSurrogate: OutgoingMessage = {
			content: { ...SMS_ONLY.content, smsSender: 'x\uD800' },
			recipients: SMS_ONLY.recipients,
		};
		expect(() => buildSendRequest(LOGIN, [withLoneSurrogate])).toThrow(/sender_sms.*U\+D800 at position 2/);
	});
});

/** The document's own replies, with the line breaks inside attribute values removed. */
const DOCUMENT_ERROR_REPLY = `<?xml version="1.0" encoding="utf-8"?>
<response>
<error>текст ошибки</error>
</response>`;

const DOCUMENT_SEND_REPLY = `<?xml version="1.0" encoding="utf-8" ?>
<response>
<message>
<information id_message="ID сообщения в системе для проверки статуса" client_id_message="ID сообщения на стороне клиента" id_sms="ID SMS" id_viber="ID VIBER сообщения" phone="Номер телефона получателя сообщения">Статус/сообщение об ошибке</information>
<information client_id_message="ID сообщения на стороне клиента" phone="Номер телефона получателя сообщения">Статус/сообщение об ошибке</information>
</message>
<message>
<information id_message="ID сообщения в системе для проверки статуса" client_id_message="ID сообщения на стороне клиента" id_sms="ID SMS" id_viber="ID VIBER сообщения" phone="Номер телефона получателя сообщения">Статус/сообщение об ошибке</information>
</message>
<message>
<error>Текст ошибки</error>
</message>
</response>`;

describe('parseSendResponse', () => {
	it('reads the document\'s example reply: rows in order, refused rows and refused messages', () => {
		const accepted = {
			phone: 'Номер телефона получателя сообщения',
			clientMessageId: 'ID сообщения на стороне клиента',
			messageId: 'ID сообщения в системе для проверки статуса',
			smsId: 'ID SMS',
			viberId: 'ID VIBER сообщения',
			parts: undefined,
			text: 'Статус/сообщение об ошибке',
			accepted: true,
			alreadySent: false,
		};
		const outcomes = parseSendResponse(DOCUMENT_SEND_REPLY);
		expect(outcomes).toHaveLength(3);
		expect(outcomes[0].error).toBeUndefined();
		expect(outcomes[0].recipients).toEqual([
			accepted,
			{
				phone: 'Номер телефона получателя сообщения',
				clientMessageId: 'ID сообщения на стороне клиента',
				messageId: undefined,
				smsId: undefined,
				viberId: undefined,
				parts: undefined,
				text: 'Статус/сообщение об ошибке',
				accepted: false,
				alreadySent: false,
			},
		]);
		expect(outcomes[1]).toEqual({ error: undefined, recipients: [accepted] });
		expect(outcomes[2]).toEqual({ error: 'Текст ошибки', recipients: [] });
	});

	it('refuses the whole request on the document\'s top-level <error>', () => {
		expect(() => parseSendResponse(DOCUMENT_ERROR_REPLY)).toThrow(ProviderRefusalError);
		try {
			parseSendResponse(DOCUMENT_ERROR_REPLY);
		} catch (error) {
			expect((error as ProviderRefusalError).providerText).toBe('текст ошибки');
		}
	});

	it('reads numeric ids as numbers, with parts, and keeps ids beyond 2^53 as text', () => {
		const outcomes = parseSendResponse(
			'<?xml version="1.0" encoding="utf-8"?><response><message>' +
				'<information id_message="1234" client_id_message="111" id_sms="5678" id_viber="0" count_message="2" phone="79801234567">send</information>' +
				'<information id_message="12345678901234567890" client_id_message="112" id_sms="0" id_viber="42" phone="79800000001">send</information>' +
				'</message></response>',
		);
		expect(outcomes[0].recipients).toEqual([
			{
				phone: '79801234567',
				clientMessageId: '111',
				messageId: 1234,
				smsId: 5678,
				viberId: 0,
				parts: 2,
				text: 'send',
				accepted: true,
				alreadySent: false,
			},
			{
				phone: '79800000001',
				clientMessageId: '112',
				messageId: '12345678901234567890',
				smsId: 0,
				viberId: 42,
				parts: undefined,
				text: 'send',
				accepted: true,
				alreadySent: false,
			},
		]);
	});

	it('treats an <information> without id_message (or with 0) as a refused recipient with the provider\'s reason', () => {
		const [outcome] = parseSendResponse(
			'<response><message>' +
				'<information client_id_message="7" phone="7900">Неверный номер</information>' +
				'<information id_message="0" client_id_message="8" phone="7901">Недостаточно средств</information>' +
				'<information id_message="" client_id_message="9" phone="7902">Ошибка</information>' +
				'</message></response>',
		);
		expect(outcome.recipients.map((row) => [row.phone, row.accepted, row.text])).toEqual([
			['7900', false, 'Неверный номер'],
			['7901', false, 'Недостаточно средств'],
			['7902', false, 'Ошибка'],
		]);
	});

	it.each([
		['without ids', '<information client_id_message="5" phone="79001234567">Данное сообщение уже было отправлено.</information>', undefined],
		[
			'with the original ids',
			'<information id_message="77" id_sms="78" id_viber="0" client_id_message="5" phone="79001234567">Данное сообщение уже было отправлено.</information>',
			77,
		],
		['in another letter case, without the full stop', '<information client_id_message="5" phone="79001234567">данное сообщение уже было отправлено</information>', undefined],
	])('reads «Данное сообщение уже было отправлено.» %s as sent before, not refused', (_name, row, messageId) => {
		const [message] = parseSendResponse(`<response><message>${row}</message></response>`);
		expect(message.recipients[0]).toMatchObject({ accepted: true, alreadySent: true, clientMessageId: '5', messageId });
	});

	it('reads a <message><error> as that message\'s refusal', () => {
		const outcomes = parseSendResponse(
			'<response><message><error>Нет отправителя</error></message><message><information id_message="5" phone="7">ok</information></message></response>',
		);
		expect(outcomes.map((outcome) => outcome.error)).toEqual(['Нет отправителя', undefined]);
		expect(outcomes[1].recipients[0].accepted).toBe(true);
	});

	it('does not treat an empty top-level <error/> as a refusal', () => {
		expect(parseSendResponse('<response><error/><message><information id_message="5" phone="7">ok</information></message></response>')).toHaveLength(1);
		expect(parseSendResponse('<response><error>  </error></response>')).toEqual([]);
	});

	it('decodes numeric character references and the predefined entities', () => {
		const [outcome] = parseSendResponse(
			'<response><message><information id_message="1" phone="&#55;&#x39;00">&#1055;&#x440;&#1080;&#1074;&#1077;&#1090; &amp; &lt;&#x1F600;&gt; &quot;&apos;</information></message></response>',
		);
		expect(outcome.recipients[0].phone).toBe('7900');
		expect(outcome.recipients[0].text).toBe('Привет & <😀> "\'');
		try {
			parseSendResponse('<response><error>&#1054;&#1096;&#1080;&#1073;&#1082;&#1072; &amp;lt;</error></response>');
			throw new Error('not refused');
		} catch (error) {
			expect((error as ProviderRefusalError).providerText).toBe('Ошибка &lt;');
		}
	});

	it('accepts line breaks around the elements and after the root', () => {
		const outcomes = parseSendResponse(
			'<?xml version="1.0" encoding="utf-8"?>\n<response>\n<message>\n<information id_message="1" phone="79001234567">send</information>\n</message>\n</response>\n',
		);
		expect(outcomes).toEqual([
			{
				error: undefined,
				recipients: [
					{
						phone: '79001234567',
						clientMessageId: '',
						messageId: 1,
						smsId: undefined,
						viberId: undefined,
						parts: undefined,
						text: 'send',
						accepted: true,
						alreadySent: false,
					},
				],
			},
		]);
	});

	it.each([
		['another root element', '<?xml version="1.0"?><request><error>x</error></request>'],
		['an HTML page', '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>'],
		['an HTML page that is not XML', '<html><body>Service unavailable<br></body></html>'],
		['plain text', 'Internal Server Error'],
		['JSON', '{"error":"x"}'],
		['an empty body', ''],
		['two roots', '<response></response><response></response>'],
	])('refuses %s as an unexpected reply, keeping the body', (_name, body) => {
		let caught: unknown;
		try {
			parseSendResponse(body);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(UnexpectedResponseError);
		expect((caught as UnexpectedResponseError).body).toBe(body);
	});
});

import fc from 'fast-check';

import { ProviderRefusalError, UnexpectedResponseError } from '../../../nodes/shared/protocol/errors';
import { buildMessageStateRequest, parseMessageStateResponse } from '../../../nodes/shared/protocol/sms/state';
import { anyText, digits, singleLineText, stripXmlForbidden } from '../support/arbitraries';
import { childNames, parseDocument, parseObject } from '../support/strict-xml';

describe('buildMessageStateRequest', () => {
	it('asks for nothing but the login when given no ids (the credential test)', () => {
		const body = buildMessageStateRequest({ login: 'user', password: 'secret' }, []);
		expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?><request>')).toBe(true);
		expect(body).not.toMatch(/[\r\n]/);
		const root = parseDocument(body);
		expect(root.name).toBe('request');
		expect(childNames(root)).toEqual(['security', 'state']);
		expect(root.children[0].children.map((child) => [child.name, child.attributes])).toEqual([
			['login', { value: 'user' }],
			['password', { value: 'secret' }],
		]);
		expect(root.children[1].children).toEqual([]);
		expect(root.children[1].text).toBe('');
	});

	it('writes the document\'s example exactly, apart from whitespace between elements', () => {
		expect(buildMessageStateRequest({ login: 'логин', password: 'пароль' }, ['111', '112', '113'])).toBe(
			'<?xml version="1.0" encoding="utf-8"?><request><security><login value="логин"/><password value="пароль"/></security>' +
				'<state><id_message>111</id_message><id_message>112</id_message><id_message>113</id_message></state></request>',
		);
	});

	it('lists many ids, in order', () => {
		const ids = Array.from({ length: 1000 }, (_, index) => String(1_000_000 + index));
		const body = buildMessageStateRequest({ login: 'user', password: 'secret' }, ids);
		const state = parseDocument(body).children[1];
		expect(state.children.map((child) => child.name)).toEqual(ids.map(() => 'id_message'));
		expect(state.children.map((child) => child.text)).toEqual(ids);
		const request = parseObject(body).request as { state: { id_message: string[] } };
		expect(request.state.id_message).toEqual(ids);
	});

	it('round-trips any ids and credentials exactly, one <id_message> each', () => {
		const credential = singleLineText(20);
		fc.assert(
			fc.property(credential, credential, fc.array(digits(1, 19), { maxLength: 30 }), (login, password, ids) => {
				const body = buildMessageStateRequest({ login, password }, ids);
				expect(body).not.toMatch(/[\r\n]/);
				const [security, state] = parseDocument(body).children;
				expect(security.children.map((child) => child.attributes.value)).toEqual([login, password]);
				expect(state.children.map((child) => [child.name, child.text])).toEqual(ids.map((id) => ['id_message', id]));
			}),
		);
	});
});

/** The document's example reply, with the line breaks inside attribute values removed. */
const DOCUMENT_STATE_REPLY = `<?xml version="1.0" encoding="utf-8" ?>
<response>
<state id_message="ID сообщения в системе" time_change_state="Время последней смены состояния" state_sms="Статус SMS" state_viber="Статус VIBER сообщения" num_parts_sms="Количество часте SMS сообщения" price_sms="Цена SMS сообщение" price_viber="Цена VIBER сообщение">Статус</state>
<state id_message="ID сообщения в системе" time_change_state="Время последней смены состояния" state_sms="Статус SMS" state_viber="Статус VIBER сообщения" num_parts_sms="Количество части SMS сообщения" price_sms="Цена SMS сообщение" price_viber="Цена VIBER сообщение">Статус</state>

<state id_message="ID сообщения в системе" time_change_state="Время последней смены состояния" state_sms="Статус SMS" state_viber="Статус VIBER сообщения" num_parts_sms="Количество части SMS сообщения" price_sms="Цена SMS сообщение" price_viber="Цена VIBER сообщение">Статус</state>

</response>`;

describe('parseMessageStateResponse', () => {
	it('reads the document\'s example reply row by row', () => {
		const rows = parseMessageStateResponse(DOCUMENT_STATE_REPLY);
		expect(rows).toHaveLength(3);
		expect(rows[0]).toEqual({
			id: 'ID сообщения в системе',
			status: 'Статус',
			changedAt: 'Время последней смены состояния',
			smsStatus: 'Статус SMS',
			viberStatus: 'Статус VIBER сообщения',
			smsParts: 'Количество часте SMS сообщения',
			smsPrice: 'Цена SMS сообщение',
			viberPrice: 'Цена VIBER сообщение',
		});
		expect(rows[1].smsParts).toBe('Количество части SMS сообщения');
		expect(rows[2].status).toBe('Статус');
	});

	it('reads a realistic reply, including an unknown id with an empty time and the error as its status', () => {
		const rows = parseMessageStateResponse(
			'<?xml version="1.0" encoding="utf-8"?><response>' +
				'<state id_message="111" time_change_state="2017-11-23 13:15:25" state_sms="deliver" state_viber="send" num_parts_sms="2" price_sms="3.10" price_viber="0">deliver</state>' +
				'<state id_message="999" time_change_state="" state_sms="" state_viber="" num_parts_sms="" price_sms="" price_viber="">Сообщение с таким ID не принималось</state>' +
				'</response>',
		);
		expect(rows).toEqual([
			{
				id: '111',
				status: 'deliver',
				changedAt: '2017-11-23 13:15:25',
				smsStatus: 'deliver',
				viberStatus: 'send',
				smsParts: '2',
				smsPrice: '3.10',
				viberPrice: '0',
			},
			{
				id: '999',
				status: 'Сообщение с таким ID не принималось',
				changedAt: '',
				smsStatus: '',
				viberStatus: '',
				smsParts: '',
				smsPrice: '',
				viberPrice: '',
			},
		]);
	});

	it('reads a reply without rows (the answer to the credential test) as no rows', () => {
		expect(parseMessageStateResponse('<?xml version="1.0" encoding="utf-8"?><response></response>')).toEqual([]);
		expect(parseMessageStateResponse('<response/>')).toEqual([]);
	});

	it('refuses the request on a top-level <error>, with the provider\'s words', () => {
		let caught: unknown;
		try {
			parseMessageStateResponse('<?xml version="1.0" encoding="utf-8"?>\n<response>\n<error>Неверный логин или пароль</error>\n</response>');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(ProviderRefusalError);
		expect((caught as ProviderRefusalError).providerText).toBe('Неверный логин или пароль');
	});

	it('decodes numeric character references in statuses', () => {
		const [row] = parseMessageStateResponse(
			'<response><state id_message="&#49;&#x32;">&#1057;&#1086;&#1086;&#1073;&#1097;&#1077;&#1085;&#1080;&#1077;</state></response>',
		);
		expect(row.id).toBe('12');
		expect(row.status).toBe('Сообщение');
	});

	it.each([
		['a wrong root', '<request><state id_message="1">deliver</state></request>'],
		['an HTML page', '<html><body><h1>404 Not Found</h1></body></html>'],
		['broken XML', '<response><state id_message="1">deliver</response>'],
	])('refuses %s as an unexpected reply', (_name, body) => {
		expect(() => parseMessageStateResponse(body)).toThrow(UnexpectedResponseError);
	});
});

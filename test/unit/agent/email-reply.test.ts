import type { EmailFormat } from '../../../nodes/shared/protocol/agent/email';
import { parseEmailResponse } from '../../../nodes/shared/protocol/agent/email';
import { parseEmailStatusResponse } from '../../../nodes/shared/protocol/agent/email-status';
import { ProviderRefusalError, UnexpectedResponseError } from '../../../nodes/shared/protocol/errors';
import { normaliseEmailStatus } from '../../../nodes/shared/protocol/status';
import { thrownBy } from './support';

// The email document's reply examples, as printed there.
const DOCUMENT_SEND_REPLY_XML = `<?xml version="1.0" encoding="utf-8" ?>
<request>
  <error />
  <success message_id="2" external_message_id="64">Сообщение обработано</success>
</request>`;

const DOCUMENT_SEND_REPLY_JSON = `{
  "error": "",
  "message_id": "2",
  "external_message_id": "124"
}`;

const DOCUMENT_STATUS_REPLY_XML = `<?xml version="1.0" encoding="utf-8"?>
<request>
  <error />
  <success id="124" creation_date="2019-02-21 15:47:34" open="1" open_date="2019-02-21 15:48:07"
unsubscribe="0" unsubscribe_date="0000-00-00 00:00:00" spam="0" spam_date="0000-00-00 00:00:00"
delivered="" delivered_date="0000-00-00 00:00:00"></success>
</request>`;

const DOCUMENT_STATUS_REPLY_JSON = `{
  "error": "",
  "data": {
    "id": "124",
    "creation_date": "2019-02-21 15:47:34",
    "open": "1",
    "open_date": "2019-02-21 15:48:07",
    "unsubscribe": "0",
    "unsubscribe_date": "0000-00-00 00:00:00",
    "spam": "0",
    "spam_date": "0000-00-00 00:00:00",
    "delivered": null,
    "delivered_date": "0000-00-00 00:00:00"
  }
}`;

/** The record both of the document's status examples describe. */
const DOCUMENT_STATUS_RECORD = {
	id: '124',
	creationDate: '2019-02-21 15:47:34',
	open: '1',
	openDate: '2019-02-21 15:48:07',
	unsubscribe: '0',
	unsubscribeDate: '0000-00-00 00:00:00',
	spam: '0',
	spamDate: '0000-00-00 00:00:00',
	delivered: null,
	deliveredDate: '0000-00-00 00:00:00',
};

function refusalText(run: () => unknown): string {
	const error = thrownBy(run);
	expect(error).toBeInstanceOf(ProviderRefusalError);
	return (error as ProviderRefusalError).providerText;
}

/** Replies that are not the email API's document, whatever the format. */
const NOT_THE_DOCUMENT: Array<[string, EmailFormat, string]> = [
	['XML without <error>', 'xml', '<?xml version="1.0" encoding="utf-8"?><request><success message_id="2" external_message_id="64"/></request>'],
	['XML with the wrong root', 'xml', '<response><error/><success message_id="2" external_message_id="64"/></response>'],
	['an HTML page as XML', 'xml', '<html><body><h1>502 Bad Gateway</h1></body></html>'],
	['a truncated XML reply', 'xml', '<request><error/><success message_id="2" external_message_id="64">'],
	['JSON as XML', 'xml', DOCUMENT_SEND_REPLY_JSON],
	['an empty XML body', 'xml', ''],
	['JSON without "error"', 'json', '{"message_id":"2","external_message_id":"124"}'],
	['a JSON array', 'json', '[{"error":"","message_id":"2","external_message_id":"124"}]'],
	['a JSON string', 'json', '"error"'],
	['JSON null', 'json', 'null'],
	['an HTML page as JSON', 'json', '<html><body><h1>502 Bad Gateway</h1></body></html>'],
	['XML as JSON', 'json', DOCUMENT_SEND_REPLY_XML],
	['an empty JSON body', 'json', ''],
];

describe('parseEmailResponse', () => {
	it('reads the document\'s XML reply', () => {
		expect(parseEmailResponse('xml', DOCUMENT_SEND_REPLY_XML)).toEqual({ messageId: '2', externalMessageId: 64 });
	});

	it('reads the document\'s JSON reply', () => {
		expect(parseEmailResponse('json', DOCUMENT_SEND_REPLY_JSON)).toEqual({ messageId: '2', externalMessageId: 124 });
	});

	it('reads ids the JSON reply gives as numbers, and an empty <error></error> as success', () => {
		expect(parseEmailResponse('json', '{"error":"","message_id":2,"external_message_id":124}')).toEqual({
			messageId: '2',
			externalMessageId: 124,
		});
		expect(
			parseEmailResponse('xml', '<request><error></error><success message_id="5" external_message_id="9"/></request>'),
		).toEqual({ messageId: '5', externalMessageId: 9 });
	});

	it('keeps an external id too large for a JavaScript number as its digits', () => {
		expect(parseEmailResponse('json', '{"error":"","message_id":"1","external_message_id":"123456789012345678901"}')).toEqual({
			messageId: '1',
			externalMessageId: '123456789012345678901',
		});
	});

	it('refuses on XML <error>text</error>, with the provider\'s text', () => {
		expect(
			refusalText(() =>
				parseEmailResponse('xml', '<?xml version="1.0" encoding="utf-8"?>\n<request>\n  <error>Неверный логин или пароль</error>\n</request>'),
			),
		).toBe('Неверный логин или пароль');
	});

	it('refuses on XML <error> even when a <success> is there too', () => {
		expect(
			refusalText(() =>
				parseEmailResponse('xml', '<request><error>Адрес отправителя не согласован</error><success message_id="2" external_message_id="64"/></request>'),
			),
		).toBe('Адрес отправителя не согласован');
	});

	it('refuses on JSON "error":"text", with the provider\'s text', () => {
		expect(refusalText(() => parseEmailResponse('json', '{"error":"Неверный логин или пароль"}'))).toBe('Неверный логин или пароль');
		expect(
			refusalText(() => parseEmailResponse('json', '{"error":"Нет денег","message_id":"2","external_message_id":"124"}')),
		).toBe('Нет денег');
	});

	it.each(NOT_THE_DOCUMENT)('treats %s as an unexpected reply', (_name, format, body) => {
		expect(() => parseEmailResponse(format, body)).toThrow(UnexpectedResponseError);
	});

	it.each([
		['XML without <success>', 'xml', '<request><error/></request>'],
		['XML <success> without external_message_id', 'xml', '<request><error/><success message_id="2">Сообщение обработано</success></request>'],
		['XML with an empty external_message_id', 'xml', '<request><error/><success message_id="2" external_message_id=""/></request>'],
		['JSON without external_message_id', 'json', '{"error":"","message_id":"2"}'],
		['JSON with a null external_message_id', 'json', '{"error":"","message_id":"2","external_message_id":null}'],
		['JSON with an object as external_message_id', 'json', '{"error":"","message_id":"2","external_message_id":{"id":1}}'],
	] as Array<[string, EmailFormat, string]>)('treats %s as an unexpected reply that keeps the body', (_name, format, body) => {
		const error = thrownBy(() => parseEmailResponse(format, body));
		expect(error).toBeInstanceOf(UnexpectedResponseError);
		expect(error.message).toMatch(/external_message_id/);
		expect((error as UnexpectedResponseError).body).toBe(body);
	});
});

describe('parseEmailStatusResponse', () => {
	it('reads the document\'s XML reply, its delivered="" as unknown (null)', () => {
		expect(parseEmailStatusResponse('xml', DOCUMENT_STATUS_REPLY_XML)).toEqual(DOCUMENT_STATUS_RECORD);
	});

	it('reads the document\'s JSON reply, its "delivered": null as unknown (null)', () => {
		expect(parseEmailStatusResponse('json', DOCUMENT_STATUS_REPLY_JSON)).toEqual(DOCUMENT_STATUS_RECORD);
	});

	it('gives the same normalised status for the document\'s two examples', () => {
		const fromXml = normaliseEmailStatus(parseEmailStatusResponse('xml', DOCUMENT_STATUS_REPLY_XML));
		const fromJson = normaliseEmailStatus(parseEmailStatusResponse('json', DOCUMENT_STATUS_REPLY_JSON));
		expect(fromXml).toEqual(fromJson);
		expect(fromXml).toEqual({
			id: 124,
			status: 'opened',
			final: false,
			createdAt: '2019-02-21T15:47:34+03:00',
			delivered: null,
			deliveredAt: null,
			opened: true,
			openedAt: '2019-02-21T15:48:07+03:00',
			spam: false,
			spamAt: null,
			unsubscribed: false,
			unsubscribedAt: null,
		});
	});

	it('reads a delivered letter, and numbers the JSON reply gives as numbers', () => {
		expect(
			parseEmailStatusResponse(
				'json',
				'{"error":"","data":{"id":125,"creation_date":"2019-02-21 15:47:34","open":0,"open_date":"0000-00-00 00:00:00",' +
					'"unsubscribe":0,"unsubscribe_date":"0000-00-00 00:00:00","spam":0,"spam_date":"0000-00-00 00:00:00",' +
					'"delivered":1,"delivered_date":"2019-02-21 15:47:40"}}',
			),
		).toEqual({
			id: '125',
			creationDate: '2019-02-21 15:47:34',
			open: '0',
			openDate: '0000-00-00 00:00:00',
			unsubscribe: '0',
			unsubscribeDate: '0000-00-00 00:00:00',
			spam: '0',
			spamDate: '0000-00-00 00:00:00',
			delivered: '1',
			deliveredDate: '2019-02-21 15:47:40',
		});
	});

	it('reads XML delivered="0" as a known non-delivery, not as unknown', () => {
		const record = parseEmailStatusResponse('xml', DOCUMENT_STATUS_REPLY_XML.replace('delivered=""', 'delivered="0"'));
		expect(record.delivered).toBe('0');
		expect(normaliseEmailStatus(record)).toMatchObject({ delivered: false, final: true, status: 'not_delivered' });
	});

	it('reads JSON "delivered": "" as unknown too', () => {
		const record = parseEmailStatusResponse('json', DOCUMENT_STATUS_REPLY_JSON.replace('"delivered": null', '"delivered": ""'));
		expect(record.delivered).toBeNull();
	});

	it('refuses on a non-empty error, in both formats, with the provider\'s text', () => {
		expect(
			refusalText(() => parseEmailStatusResponse('xml', '<?xml version="1.0" encoding="utf-8"?><request><error>Сообщение не найдено</error></request>')),
		).toBe('Сообщение не найдено');
		expect(refusalText(() => parseEmailStatusResponse('json', '{"error":"Сообщение не найдено","data":null}'))).toBe(
			'Сообщение не найдено',
		);
	});

	it.each([
		['XML without <success>', 'xml', '<?xml version="1.0" encoding="utf-8"?><request><error/></request>'],
		['JSON without data', 'json', '{"error":""}'],
		['JSON with null data', 'json', '{"error":"","data":null}'],
		['JSON with a list as data', 'json', '{"error":"","data":[{"id":"124"}]}'],
		['JSON with a string as data', 'json', '{"error":"","data":"124"}'],
	] as Array<[string, EmailFormat, string]>)('treats %s as an unexpected reply', (_name, format, body) => {
		expect(() => parseEmailStatusResponse(format, body)).toThrow(UnexpectedResponseError);
	});

	it.each(NOT_THE_DOCUMENT)('treats %s as an unexpected reply', (_name, format, body) => {
		expect(() => parseEmailStatusResponse(format, body)).toThrow(UnexpectedResponseError);
	});

	// The provider writes "delivered": null while the delivery is unknown; a date it does not have may come as
	// null in the same way. Such a reply must read like the "0000-00-00 00:00:00" date: null, not a failure.
	it('reads a JSON date given as null as no date', () => {
		const body = DOCUMENT_STATUS_REPLY_JSON.replace('"delivered_date": "0000-00-00 00:00:00"', '"delivered_date": null').replace(
			'"spam_date": "0000-00-00 00:00:00"',
			'"spam_date": null',
		);
		const record = parseEmailStatusResponse('json', body);
		expect(normaliseEmailStatus(record)).toMatchObject({ deliveredAt: null, spamAt: null, openedAt: '2019-02-21T15:48:07+03:00' });
	});
});

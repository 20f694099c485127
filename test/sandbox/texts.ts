/**
 * Every text the sandbox answers with. The provider documents none of them except by example, so
 * they are written in the provider's language and style; tests may import them instead of repeating.
 */
export const SandboxTexts = {
	// whole request
	wrongLogin: 'Неправильный логин или пароль',
	postOnly: 'Запрос должен быть отправлен методом POST',
	wrongContentType: 'Заголовок Content-Type должен быть text/xml; charset=utf-8',
	notUtf8: 'XML-документ должен быть в кодировке UTF-8',
	lineBreakInDocument:
		'XML-документ не должен содержать переводов строки. Переводы строк в данных заменяются на "\\n"',
	forbiddenCharacter: (position: number) => `Недопустимый в XML символ в позиции ${position}`,
	malformedXml: (detail: string) => `Ошибка в XML-документе: ${detail}`,
	wrongRootElement: (name: string) => `Корневой элемент XML-документа должен быть <request>, получен <${name}>`,
	unknownRequestElement: (name: string) => `Неизвестный элемент <${name}> в запросе`,
	repeatedRequestElement: (name: string) => `Элемент <${name}> указан в запросе более одного раза`,
	textOnlyElement: (name: string) => `Элемент <${name}> должен содержать только текст`,
	unexpectedText: (name: string) => `Недопустимый текст внутри элемента <${name}>`,
	unexpectedAttributes: (name: string) => `Элемент <${name}> не должен иметь атрибутов`,
	wrongMessageId: (value: string) => `Неверный ID сообщения: "${value}"`,

	// one <message>
	unknownMessageElement: (name: string) => `Неизвестный элемент <${name}> в сообщении`,
	repeatedMessageElement: (name: string) => `Элемент <${name}> указан в сообщении более одного раза`,
	wrongChannelOrder: (name: string) => `Значение ${name} должно быть цифрой от 0 до 9`,
	noChannel: 'Не выбран ни один способ отправки: send_viber и send_sms равны 0',
	noViberSender: 'Не указано имя отправителя VIBER (sender_viber)',
	noViberText: 'Не указан текст VIBER сообщения (text_viber)',
	viberTextTooLong: 'Текст VIBER сообщения превышает 1000 символов',
	noSmsSender: 'Не указан отправитель SMS (sender_sms)',
	noSmsText: 'Не указан текст SMS (text_sms)',
	buttonTextTooLong: 'Текст кнопки превышает 19 символов',
	buttonTextWithoutUrl: 'Указан текст кнопки без ссылки кнопки (button_url)',
	buttonUrlWithoutText: 'Указана ссылка кнопки без текста кнопки (button_text)',
	imageWithoutButton: 'Изображение (image_url) можно отправить только вместе с кнопкой (button_text и button_url)',
	wrongValidityPeriod: 'Время жизни VIBER сообщения (validity_period_viber) должно быть целым числом минут больше 0',
	wrongFinaleViberRead: 'Значение finale_viber_read должно быть 0 или 1',
	wrongTimeSend: 'Неверное время отправки (time_send), ожидается формат YYYY-MM-DD hh:mm',
	timeSendInPast: 'Время отправки (time_send) уже прошло',
	noAbonents: 'В сообщении не указан ни один получатель (abonent)',
	abonentNotEmpty: 'Элемент <abonent> не должен содержать текста или вложенных элементов',

	// one <abonent>
	accepted: 'send',
	wrongPhone: 'Неверный номер телефона',
	wrongClientIdMessage: 'Неверный client_id_message: ожидается число',
	unknownAbonentAttribute: (name: string) => `Неизвестный атрибут ${name} у получателя`,
	stopListed: 'Номер телефона в стоп-листе',

	// status
	unknownMessage: 'Сообщение с таким ID не принималось',
} as const;

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
	lineBreakInData: (where: string) =>
		`Перевод строки внутри данных (${where}). Переводы строк в данных заменяются на "\\n"`,
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
	/** A phone the account put on its stop list with stop.php (the provider's wording). */
	stopListedByAccount: 'Номер телефона присутствует в стоп-листе.',

	// account functions
	wrongPhoneValue: (value: string) => `Неверный номер телефона: "${value}"`,
	abonentLikeNotEmpty: (name: string) => `Элемент <${name}> не должен содержать текста или вложенных элементов`,
	noScheduledPage: 'Не указана страница списка (<scheduled page="N"/>)',
	wrongScheduledPage: (value: string) => `Неверный номер страницы: "${value}"`,
	/** A repeated client_id_message, when the sandbox is set to answer with text (setRepeatedClientIdAnswer). */
	alreadySent: 'Данное сообщение уже было отправлено.',

	// status
	unknownMessage: 'Сообщение с таким ID не принималось',

	// email and OTP API (apiagent): whole request
	emailWrongContentType: 'Заголовок Content-Type должен быть application/json или text/xml; charset=utf-8',
	unknownFunction: (name: string) => `Неизвестная функция API: "${name}"`,
	malformedJson: (detail: string) => `Ошибка в JSON-документе: ${detail}`,
	jsonNotObject: 'JSON-документ должен быть объектом',
	unknownJsonField: (name: string) => `Неизвестное поле "${name}" в запросе`,
	wrongFieldType: (name: string, expected: string) => `Поле "${name}" должно быть ${expected}`,
	unknownElementIn: (name: string, parent: string) => `Неизвестный элемент <${name}> внутри <${parent}>`,
	repeatedElementIn: (name: string, parent: string) => `Элемент <${name}> указан внутри <${parent}> более одного раза`,
	unknownAttributeOf: (name: string, element: string) => `Неизвестный атрибут ${name} у элемента <${element}>`,

	// email: send
	emailProcessed: 'Сообщение обработано',
	noFrom: 'Не указан адрес отправителя (from)',
	unregisteredFrom: (address: string) =>
		`Обратный адрес ${address} не согласован: письма отправляются только с зарегистрированного обратного адреса`,
	noEmail: 'Не указано письмо (email)',
	noRecipient: 'Не указан адрес получателя (to)',
	wrongRecipient: (address: string) => `Неверный адрес получателя: "${address}"`,
	noSubject: 'Не указана тема письма (subject)',
	subjectLineBreak: 'Тема письма (subject) не должна содержать переводов строки',
	noIdMessage: 'Не указан id сообщения (id_message)',
	wrongIdMessage: (value: string) => `Неверный id_message: "${value}", ожидается число`,
	noLetter: 'Не указан текст письма (letter)',
	letterNotBase64: 'Письмо (letter) должно быть закодировано в base64',
	letterNotUtf8: 'Письмо (letter) после декодирования base64 должно быть текстом в кодировке UTF-8',

	// email: status
	emailNotFound: 'Сообщение не найдено',

	// OTP
	otpWrongLogin: 'Неверный логин или пароль',
	otpDefaultText: 'Временный пароль: {код}',
	otpCodeVariable: '{код}',
	otpNoPhone: 'Не указан номер телефона (phone)',
	otpWrongPhone: 'Неверный номер телефона: ожидается международный формат, например +79001234567 или 79001234567',
	otpNoSender: 'Не указана подпись отправителя (sender)',
	otpWrongCodeLength: 'Количество цифр в коде (random_string_len) должно быть целым положительным числом',
	otpNoCodeVariable: 'Текст сообщения (text) должен содержать переменную персонификации {код}',

	// faults: `echo` with status 200 (the wrong-login text, then what the server read)
	echoedCredentials: (prefix: string, login: string, password: string, json: string, base64: string) =>
		`${prefix}: login=${login}&password=${password} json=${json} b64=${base64}`,
	echoedBody: (prefix: string, form: string, json: string, base64: string) =>
		`${prefix}: body=${form} json=${json} b64=${base64}`,
} as const;

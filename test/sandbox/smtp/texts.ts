/**
 * Every text the SMTP sandbox answers with. The Email2SMS document gives none: they are written in the
 * provider's language, like the HTTP sandbox's `SandboxTexts`, so that a node shows them as "the server's words".
 */
export const SmtpSandboxTexts = {
	greeting: 'Email2SMS sandbox TargetSMS',
	// SMTP session
	authRequired: 'Требуется авторизация SMTP',
	authFailed: 'Неверное имя пользователя или пароль SMTP',
	senderNotRegistered: (address: string) => `Адрес ${address} не зарегистрирован как обратный адрес Email2SMS`,
	unknownRecipient: (address: string) => `Адрес ${address} не обслуживается шлюзом Email2SMS`,
	recipientRefused: 'Получатель отклонён',
	messageRefused: 'Письмо отклонено',
	// the email
	fromHeaderMismatch: (address: string) => `Адрес в заголовке From (${address}) не совпадает с зарегистрированным обратным адресом`,
	notPlainText: (type: string) => `Письмо должно быть в формате plain text (text/plain), получено ${type}`,
	wrongCharset: (charset: string) => `Письмо должно быть в кодировке windows-1251, указано: ${charset || 'ничего'}`,
	wrongTransferEncoding: (encoding: string) => `Неподдерживаемый Content-Transfer-Encoding: ${encoding}`,
	malformedTransferEncoding: (encoding: string) => `Тело письма не соответствует Content-Transfer-Encoding ${encoding}`,
	notWindows1251: (byte: number) => `Байт 0x${byte.toString(16).toUpperCase().padStart(2, '0')} не является символом кодировки windows-1251`,
	controlCharacter: (byte: number) => `Недопустимый управляющий символ 0x${byte.toString(16).toUpperCase().padStart(2, '0')} в тексте письма`,
	bareLineBreak: 'Строки письма должны разделяться CR LF',
	eightBitNotOffered: 'Сервер не объявлял 8BITMIME: письмо с 8-битными данными не принимается',
	// the template
	missingLine: (line: number, key: string) => `Строка ${line} письма должна начинаться с ${key}=`,
	noText: 'Не указан текст сообщения',
	wrongLogin: 'Неправильный логин или пароль',
	passwordTooLong: (max: number) => `Пароль (Password) должен быть не длиннее ${max} символов`,
	noSender: 'Не указано имя отправителя (SourceAddress)',
	noPhones: 'Не указан номер получателя (PhoneNumber)',
	tooManyPhones: (max: number) => `В PhoneNumber указано больше ${max} номеров`,
	wrongPhone: (phone: string) => `Неверный номер телефона: "${phone}"`,
	// success
	accepted: (ids: readonly number[]) => `Принято SMS: ${ids.length} (id_sms ${ids.join(', ')})`,
} as const;

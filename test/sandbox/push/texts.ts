/** The texts of `get_state.php`, `incoming.php` and the sandbox's control routes (provider style, Russian). */
export const TriggerTexts = {
	noGetState: 'Не указан элемент <get_state>',
	unknownGetStateAttribute: (name: string) => `Неизвестный атрибут ${name} элемента <get_state>`,
	getStateTextOnly: 'Элемент <get_state> должен содержать только текст',
	wrongGetStateType: (type: string) => `Неверный тип запроса get_state: "${type}", ожидается get или set`,
	getStateGetWithText: 'Запрос get_state type="get" не должен содержать текста',
	wrongPushUrl: (url: string) => `Неверный адрес для отчётов о доставке: "${url}"`,
	noTime: 'Не указан элемент <time>',
	unknownTimeAttribute: (name: string) => `Неизвестный атрибут ${name} элемента <time>`,
	timeNotEmpty: 'Элемент <time> не должен иметь содержимого',
	wrongTime: (name: string, value: string) =>
		`Неверное время ${name}: "${value}", ожидается формат YYYY-MM-DD hh:mm:ss`,
} as const;

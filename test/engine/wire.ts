import { XMLParser } from 'fast-xml-parser';

/** Reads a request the node sent, independently of the node's own parser. */
const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	htmlEntities: true,
	isArray: (name) => ['message', 'abonent', 'id_message', 'id_sms'].includes(name),
});

export interface WireAbonent {
	phone: string;
	client_id_message: string;
}

export interface WireMessage {
	[field: string]: string | WireAbonent[] | undefined;
	abonent?: WireAbonent[];
}

export interface WireRequest {
	security: { login: { value: string }; password: { value: string } };
	message?: WireMessage[];
	state?: { id_message?: string[] };
}

export function readWire(body: string): WireRequest {
	return (parser.parse(body) as { request: WireRequest }).request;
}

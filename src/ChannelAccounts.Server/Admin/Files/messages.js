// The latest inbound WhatsApp messages of an account (table ca_whatsappmessage, written by the Twilio webhook).
import { call } from './api.js';

const COLUMNS = 'ca_messagesid,ca_from,ca_to,ca_profilename,ca_body,ca_nummedia,ca_mediaurls,ca_receivedon,ca_messagestatus,ca_errorcode';

export async function latest(accountId, count = 20) {
  const body = await call('GET',
    `ca_whatsappmessages?$select=${COLUMNS}&$filter=_ca_whatsappaccountid_value eq ${accountId}&$orderby=ca_receivedon desc&$top=${count}`);
  return body.value.map((m) => ({
    sid: m.ca_messagesid,
    from: m.ca_from ?? '',
    profileName: m.ca_profilename ?? '',
    body: m.ca_body ?? '',
    // One "contentType url" per line.
    media: (m.ca_mediaurls ?? '').split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
      const space = line.indexOf(' ');
      return space < 0 ? { type: '', url: line } : { type: line.slice(0, space), url: line.slice(space + 1).trim() };
    }),
    receivedOn: m.ca_receivedon ? new Date(m.ca_receivedon) : null,
    status: m.ca_messagestatus ?? '',
    errorCode: m.ca_errorcode ?? null,
  }));
}

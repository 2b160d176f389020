/** XEP-0156 link relations for the alternative connection methods. */
export const boshRelation = 'urn:xmpp:alt-connections:xbosh';
export const websocketRelation = 'urn:xmpp:alt-connections:websocket';

export interface HttpEndpoints {
  bosh: string;
  websocket: string;
}

export function hostMetaXml(endpoints: HttpEndpoints): string {
  return [
    "<?xml version='1.0' encoding='utf-8'?>",
    "<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>",
    `  <Link rel='${boshRelation}' href='${endpoints.bosh}'/>`,
    `  <Link rel='${websocketRelation}' href='${endpoints.websocket}'/>`,
    '</XRD>',
    '',
  ].join('\n');
}

export function hostMetaJson(endpoints: HttpEndpoints): string {
  const links = [
    { rel: boshRelation, href: endpoints.bosh },
    { rel: websocketRelation, href: endpoints.websocket },
  ];
  return JSON.stringify({ links }, null, 2) + '\n';
}

export { parseXml, xml } from '../../stream/xml.js';
export type { Element } from '../../stream/xml.js';

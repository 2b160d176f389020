import { DOMParser } from '@xmldom/xmldom';
import type { Document, Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { admxTemplates } from './admx.js';
import { leafFields, policyShape } from './policy-shape.js';
import { policyKeyPath } from './registry.js';

/** Parses strictly: any warning or error of the parser fails the test. */
function parseXml(text: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(text, 'text/xml');
}

function elements(parent: Document | Element, name: string): Element[] {
  return Array.from(parent.getElementsByTagName(name));
}

function children(parent: Element | undefined): Element[] {
  return Array.from(parent?.childNodes ?? []).filter((node): node is Element => node.nodeType === node.ELEMENT_NODE);
}

/** Where each policy of the ADMX writes: `key\valueName`, or a list's key, relative to the hive. */
function registryPlaces(admx: Document): string[] {
  return elements(admx, 'policy').map((policy) => {
    const key = policy.getAttribute('key') ?? '';
    const list = elements(policy, 'list')[0];
    if (list) return list.getAttribute('key');
    const valueName = policy.getAttribute('valueName') ?? children(elements(policy, 'elements')[0])[0]?.getAttribute('valueName');
    return `${key}\\${valueName}`;
  }) as string[];
}

describe('the Group Policy templates', () => {
  const { admx, adml } = admxTemplates();

  it('are well-formed XML in the PolicyDefinitions namespace', () => {
    for (const document of [parseXml(admx), parseXml(adml)]) {
      expect(document.documentElement?.namespaceURI).toBe('http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions');
    }
  });

  it('have a policy for every value of the policy schema, writing where the registry reader reads it', () => {
    const expected = leafFields(policyShape()).map(({ path }) => [policyKeyPath, ...path].join('\\'));
    expect(expected).toContain('Software\\Policies\\Burrow\\locked\\connection\\proxy\\port');
    expect(registryPlaces(parseXml(admx))).toEqual(expected);
  });

  it('write booleans as 1 and 0, bound numbers by the schema, and offer a choice of the values the schema allows', () => {
    const policies = new Map(elements(parseXml(admx), 'policy').map((policy) => [policy.getAttribute('name'), policy]));
    const unencrypted = policies.get('locked_connection_allowUnencrypted');
    expect(elements(unencrypted!, 'enabledValue').map((value) => children(value)[0]?.getAttribute('value'))).toEqual(['1']);
    expect(elements(unencrypted!, 'disabledValue').map((value) => children(value)[0]?.getAttribute('value'))).toEqual(['0']);
    const deadline = elements(policies.get('defaults_connection_deadlineMs')!, 'decimal')[0];
    expect([deadline?.getAttribute('minValue'), deadline?.getAttribute('maxValue')]).toEqual(['1000', '300000']);
    const methods = elements(policies.get('locked_connection_method')!, 'string').map((option) => option.textContent);
    expect(methods).toEqual(['automatic', 'direct-tcp', 'direct-http', 'system-proxy', 'proxy']);
    expect(elements(policies.get('communities')!, 'multiText')).toHaveLength(1);
  });

  it('name in the ADMX only strings and presentations the ADML defines, and present every element', () => {
    const resources = parseXml(adml);
    const strings = new Set(elements(resources, 'string').map((string) => string.getAttribute('id')));
    const presentations = new Map(elements(resources, 'presentation').map((presentation) => [presentation.getAttribute('id'), presentation]));
    for (const [, kind, id] of admx.matchAll(/\$\((string|presentation)\.([^)]+)\)/g)) {
      expect(kind === 'string' ? strings.has(id ?? '') : presentations.has(id ?? ''), `${kind} ${id}`).toBe(true);
    }
    for (const policy of elements(parseXml(admx), 'policy')) {
      const elementIds = children(elements(policy, 'elements')[0]).map((element) => element.getAttribute('id'));
      const refIds = children(presentations.get(policy.getAttribute('name'))).map((control) => control.getAttribute('refId'));
      expect(refIds).toEqual(elementIds);
    }
  });

  it('follow keys the schema gains, without being edited', () => {
    const laterSchema = z.strictObject({ version: z.literal(2), updates: z.strictObject({ enabled: z.boolean(), channel: z.enum(['stable', 'beta']) }).optional() });
    expect(registryPlaces(parseXml(admxTemplates(policyShape(laterSchema)).admx))).toEqual([
      'Software\\Policies\\Burrow\\version',
      'Software\\Policies\\Burrow\\updates\\enabled',
      'Software\\Policies\\Burrow\\updates\\channel',
    ]);
  });
});

/**
 * A macOS configuration profile (.mobileconfig) setting Burrow's managed preferences: a Custom
 * Settings payload (com.apple.ManagedClient.preferences) forcing the policy's keys for the bundle id.
 */
import { randomUUID } from 'node:crypto';
import { build } from 'plist';
import type { PlistValue } from 'plist';
import { burrowBundleId } from './managed-preferences.js';
import { policyShape } from './policy-shape.js';
import type { GroupShape, PolicyShape } from './policy-shape.js';

/** A policy document: the JSON policy file's keys. */
export type PolicyDocument = Record<string, PlistValue>;

export function configurationProfile(policy: PolicyDocument, { displayName = 'Burrow administrator policy', newUuid = () => randomUUID().toUpperCase() } = {}): string {
  return build({
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: `${burrowBundleId}.policy`,
    PayloadUUID: newUuid(),
    PayloadDisplayName: displayName,
    PayloadDescription: `Sets the administrator policy of Burrow (${burrowBundleId}) for every user of this Mac.`,
    PayloadScope: 'System',
    PayloadContent: [
      {
        PayloadType: 'com.apple.ManagedClient.preferences',
        PayloadVersion: 1,
        PayloadIdentifier: `${burrowBundleId}.policy.preferences`,
        PayloadUUID: newUuid(),
        PayloadDisplayName: 'Burrow',
        PayloadEnabled: true,
        PayloadContent: { [burrowBundleId]: { Forced: [{ mcx_preference_settings: policy }] } },
      },
    ],
  });
}

/**
 * Every key of the schema with a value to replace: the schema's default where it has one, else
 * the first choice, the least number, an empty text or list, one example of a list's objects
 * (a key of a shape without an obvious example is left out).
 */
export function templatePolicy(group: GroupShape = policyShape()): PolicyDocument {
  const document: PolicyDocument = {};
  for (const { key, shape, defaultValue } of group.fields) {
    const value = (defaultValue as PlistValue | undefined) ?? placeholder(shape);
    if (value !== undefined) document[key] = value;
  }
  return document;
}

function placeholder(shape: PolicyShape): PlistValue | undefined {
  switch (shape.kind) {
    case 'group':
      return templatePolicy(shape);
    case 'boolean':
      return false;
    case 'integer':
      return shape.minimum ?? 0;
    case 'string':
      return '';
    case 'choice':
      return shape.options[0];
    case 'list':
      return [];
    case 'records':
      return [templatePolicy(shape.item)];
    case 'json':
      return undefined;
  }
}

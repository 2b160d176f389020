/**
 * Group Policy templates (Burrow.admx and its en-US Burrow.adml) generated from the policy schema:
 * one category per object, one policy per value, each writing the registry layout registry.ts reads.
 */
import { policyShape } from './policy-shape.js';
import type { GroupShape, PolicyField, PolicyShape } from './policy-shape.js';
import { policyKeyPath } from './registry.js';

export interface AdmxTemplates {
  admx: string;
  adml: string;
}

const rootCategory = 'Burrow';
const supportedOn = 'SUPPORTED_Burrow';
/** ADMX's own limit for text is 1023 characters unless a template says more. */
const textMaxLength = 1_000_000;
/** A REG_DWORD's range; ADMX limits a decimal to 9999 unless a template says more. */
const dwordMaximum = 4_294_967_295;

export function admxTemplates(shape: GroupShape = policyShape()): AdmxTemplates {
  const templates = new TemplateWriter();
  templates.group(shape, []);
  return templates.finish();
}

class TemplateWriter {
  private readonly categories: string[] = [];
  private readonly policies: string[] = [];
  private readonly strings = new Map<string, string>([
    [rootCategory, 'Burrow'],
    [supportedOn, 'Burrow with Group Policy support'],
  ]);
  private readonly presentations: string[] = [];

  group(group: GroupShape, path: string[]): void {
    for (const field of group.fields) {
      if (field.shape.kind === 'group') {
        const name = categoryName(field.path);
        this.strings.set(name, humanize(field.key));
        this.categories.push(`<category name="${name}" displayName="$(string.${name})"><parentCategory ref="${categoryName(path)}"/></category>`);
        this.group(field.shape, field.path);
      } else {
        this.policy(field, categoryName(path));
      }
    }
  }

  private policy(field: PolicyField, category: string): void {
    const name = policyName(field.path);
    const key = registryKey(field.path.slice(0, -1));
    const element = elementOf(field, name, key);
    this.strings.set(name, humanize(field.key));
    this.strings.set(`${name}_Explain`, explainText(field, key));
    element.options?.forEach((option, index) => this.strings.set(`${name}_Option${index}`, String(option)));
    const attributes = [`name="${name}"`, 'class="Both"', `displayName="$(string.${name})"`, `explainText="$(string.${name}_Explain)"`, `key="${escapeXml(key)}"`];
    if (element.xml) {
      attributes.push(`presentation="$(presentation.${name})"`);
      this.presentations.push(`<presentation id="${name}">${element.presentation}</presentation>`);
    } else {
      attributes.push(`valueName="${escapeXml(field.key)}"`);
    }
    this.policies.push(
      `<policy ${attributes.join(' ')}>` +
        `<parentCategory ref="${category}"/><supportedOn ref="${supportedOn}"/>` +
        (element.xml ? `<elements>${element.xml}</elements>` : '<enabledValue><decimal value="1"/></enabledValue><disabledValue><decimal value="0"/></disabledValue>') +
        '</policy>',
    );
  }

  finish(): AdmxTemplates {
    const admx = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
      '  <policyNamespaces><target prefix="burrow" namespace="Burrow.Policies.Burrow"/></policyNamespaces>',
      '  <resources minRequiredRevision="1.0"/>',
      `  <supportedOn><definitions><definition name="${supportedOn}" displayName="$(string.${supportedOn})"/></definitions></supportedOn>`,
      '  <categories>',
      `    <category name="${rootCategory}" displayName="$(string.${rootCategory})"/>`,
      ...this.categories.map((category) => `    ${category}`),
      '  </categories>',
      '  <policies>',
      ...this.policies.map((policy) => `    ${policy}`),
      '  </policies>',
      '</policyDefinitions>',
      '',
    ].join('\n');
    const adml = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
      '  <displayName>Burrow</displayName>',
      '  <description>Administrator policy for the Burrow messenger</description>',
      '  <resources>',
      '    <stringTable>',
      ...[...this.strings].map(([id, text]) => `      <string id="${id}">${escapeXml(text)}</string>`),
      '    </stringTable>',
      '    <presentationTable>',
      ...this.presentations.map((presentation) => `      ${presentation}`),
      '    </presentationTable>',
      '  </resources>',
      '</policyDefinitionResources>',
      '',
    ].join('\n');
    return { admx, adml };
  }
}

interface Element {
  /** The policy's `<elements>` content; none for a boolean, which the policy's own state sets. */
  xml?: string;
  presentation?: string;
  options?: readonly (string | number | boolean)[];
}

function elementOf({ key, shape }: PolicyField, id: string, registryKeyPath: string): Element {
  const valueName = `valueName="${escapeXml(key)}"`;
  const label = escapeXml(humanize(key));
  switch (shape.kind) {
    case 'boolean':
      return {};
    case 'integer':
      return {
        xml: `<decimal id="${id}" ${valueName} minValue="${shape.minimum ?? 0}" maxValue="${shape.maximum ?? dwordMaximum}"/>`,
        presentation: `<decimalTextBox refId="${id}">${label}</decimalTextBox>`,
      };
    case 'string':
      return {
        xml: `<text id="${id}" ${valueName} maxLength="${shape.maxLength ?? textMaxLength}"/>`,
        presentation: `<textBox refId="${id}"><label>${label}</label></textBox>`,
      };
    case 'choice':
      return {
        xml: `<enum id="${id}" ${valueName}>${shape.options.map((option, index) => `<item displayName="$(string.${id}_Option${index})"><value>${choiceValue(option)}</value></item>`).join('')}</enum>`,
        presentation: `<dropdownList refId="${id}">${label}</dropdownList>`,
        options: shape.options,
      };
    case 'list':
      return {
        xml: `<list id="${id}" key="${escapeXml(`${registryKeyPath}\\${key}`)}" valuePrefix=""/>`,
        presentation: `<listBox refId="${id}">${label}</listBox>`,
      };
    default:
      return {
        xml: `<multiText id="${id}" ${valueName} maxLength="${textMaxLength}"/>`,
        presentation: `<multiTextBox refId="${id}">${label} (JSON)</multiTextBox>`,
      };
  }
}

function choiceValue(option: string | number | boolean): string {
  if (typeof option === 'string') return `<string>${escapeXml(option)}</string>`;
  return `<decimal value="${Number(option)}"/>`;
}

function explainText({ path, description, shape }: PolicyField, key: string): string {
  const field = path.join('.');
  return [
    description ?? `Sets "${field}" of the Burrow administrator policy, as the JSON policy file does.`,
    howToEnter(shape),
    `Registry: ${key}, ${shape.kind === 'list' ? `subkey "${path.at(-1)}", values 1, 2, 3… (REG_SZ)` : `value "${path.at(-1)}" (${registryType(shape)})`}.`,
    'Set in Computer Configuration, it applies to every user and wins over User Configuration. See Burrow\'s docs/admin.md.',
  ].join('\n\n');
}

function howToEnter(shape: PolicyShape): string {
  switch (shape.kind) {
    case 'boolean':
      return 'Enabled: true. Disabled: false. Not configured: not set by this policy.';
    case 'list':
      return 'One entry per line.';
    case 'records':
      return `A JSON array of objects with the keys ${shape.item.fields.map(({ key }) => key).join(', ')}, as in the policy file.`;
    case 'json':
      return 'JSON, as in the policy file.';
    default:
      return 'Not configured: not set by this policy.';
  }
}

function registryType(shape: PolicyShape): string {
  if (shape.kind === 'boolean' || shape.kind === 'integer') return 'REG_DWORD';
  if (shape.kind === 'choice' && shape.options.every((option) => typeof option === 'number')) return 'REG_DWORD';
  if (shape.kind === 'records' || shape.kind === 'json') return 'REG_MULTI_SZ or REG_SZ holding JSON';
  return 'REG_SZ';
}

function registryKey(path: string[]): string {
  return [policyKeyPath, ...path].join('\\');
}

function policyName(path: string[]): string {
  return path.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

function categoryName(path: string[]): string {
  return path.length === 0 ? rootCategory : `Cat_${policyName(path)}`;
}

/** "attemptDelayMs" → "Attempt delay ms". */
function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[character]};`);
}

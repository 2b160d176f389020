import type { ConnectionKey, FlatConnection } from '../../../electron/common/settings/connection-keys.js';
import { readProxyUrl, type ProxyUrl } from '../../../electron/common/settings/proxy-url.js';
import { connectionMethods } from '../../../electron/common/settings/schema.js';
import { isBrowserMode } from '../api/burrow.js';
import { CheckboxField, NumberField, PasswordField, SelectField, TextAreaField, TextField } from './controls.js';
import { fieldId, LOCKED_NOTE } from './Field.js';
import { connectionLabels, methodLabels, passwordLabels, proxyTypeLabels, proxyUrlFixLabel } from './labels.js';
import type { SettingsForm } from './useSettingsDraft.js';

export interface ConnectionFieldsProps {
  form: SettingsForm;
  /** The values shown: the global ones, or a community's. */
  values: FlatConnection;
  /** Where each field's error is kept (see errorKeys in draft.ts); also names the controls' ids. */
  errorKeyOf: (key: ConnectionKey) => string;
  onChange: <K extends ConnectionKey>(key: K, value: FlatConnection[K]) => void;
  proxyPasswordKey: string;
  /** The whole group is read-only, e.g. while a community uses the global settings. */
  disabled?: boolean;
  /** Whether the administrator locked a field here; the global locks unless told. */
  isLocked?: (key: ConnectionKey) => boolean;
}

/** The fields a proxy URL fills in. */
const proxyUrlKeys: ConnectionKey[] = ['proxy.type', 'proxy.host', 'proxy.port', 'proxy.resolveThroughProxy', 'proxy.username'];

/** The connection method, proxy, security and timing fields: the global settings and each community's Connection tab. */
export function ConnectionFields({ form, values, errorKeyOf, onChange, proxyPasswordKey, disabled = false, isLocked = form.isLocked }: ConnectionFieldsProps) {
  /** Labels, error and lock of one field; `applies` is false where the chosen method does not use it. */
  const field = (key: ConnectionKey, applies = true) => {
    const locked = isLocked(key);
    return { id: fieldId(errorKeyOf(key)), label: connectionLabels[key], error: form.errorFor(errorKeyOf(key)), locked, disabled: disabled || locked || !applies };
  };
  const usesProxy = values.method === 'proxy';
  const methodId = fieldId(errorKeyOf('method'));
  const methodLocked = isLocked('method');
  const methodNote = methodLocked ? `${methodId}-locked` : undefined;
  const typedProxyPassword = form.draft.passwords[proxyPasswordKey];
  // A proxy pasted as a URL into the host field: offered to be split into the fields it belongs in.
  const proxyUrl = readProxyUrl(values['proxy.host']);
  const proxyUrlFits = proxyUrl !== null && !disabled && usesProxy && proxyUrlKeys.every((key) => !isLocked(key));
  const fillFromProxyUrl = ({ type, host, port, resolveThroughProxy, username, password }: ProxyUrl) => {
    onChange('proxy.type', type);
    onChange('proxy.host', host);
    onChange('proxy.port', port);
    onChange('proxy.resolveThroughProxy', resolveThroughProxy);
    if (username !== undefined) onChange('proxy.username', username);
    // Into the password field, which never shows it, and from there to the keychain on saving.
    if (password) form.setPassword(proxyPasswordKey, password);
  };

  return (
    <div className="connection-fields">
      <fieldset className="method-group" aria-describedby={methodNote}>
        <legend>{connectionLabels.method}</legend>
        {connectionMethods.map((method) => (
          <label key={method} className="radio">
            <input
              type="radio"
              // Advice that points to the method focuses the chosen one.
              id={values.method === method ? methodId : undefined}
              name={methodId}
              value={method}
              checked={values.method === method}
              disabled={disabled || methodLocked}
              aria-describedby={methodNote}
              onChange={() => onChange('method', method)}
            />
            {methodLabels[method]}
          </label>
        ))}
        {methodLocked && (
          <p id={methodNote} className="field-note field-locked">
            {LOCKED_NOTE}
          </p>
        )}
      </fieldset>

      <fieldset>
        <legend>Proxy</legend>
        <div className="field-row">
          <SelectField {...field('proxy.type', usesProxy)} value={values['proxy.type']} options={proxyTypeLabels} onChange={(type) => onChange('proxy.type', type)} />
          <TextField {...field('proxy.host', usesProxy)} value={values['proxy.host']} onChange={(host) => onChange('proxy.host', host)} />
          <NumberField {...field('proxy.port', usesProxy)} value={values['proxy.port']} empty={Number.NaN} onChange={(port) => onChange('proxy.port', port)} />
        </div>
        {proxyUrlFits && (
          <p className="field-note">
            <button type="button" onClick={() => fillFromProxyUrl(proxyUrl)}>
              {proxyUrlFixLabel(proxyUrl)}
            </button>
          </p>
        )}
        <div className="field-row">
          <TextField {...field('proxy.username', usesProxy)} value={values['proxy.username']} onChange={(username) => onChange('proxy.username', username)} />
          <PasswordField
            id={`${fieldId(errorKeyOf('proxy.username'))}-password`}
            label={passwordLabels.proxy}
            disabled={disabled || !usesProxy}
            value={typedProxyPassword ?? ''}
            saved={typedProxyPassword === undefined && form.hasStoredPassword(proxyPasswordKey)}
            onChange={(password) => form.setPassword(proxyPasswordKey, password)}
          />
        </div>
        <CheckboxField
          {...field('proxy.resolveThroughProxy', usesProxy)}
          checked={values['proxy.resolveThroughProxy']}
          onChange={(checked) => onChange('proxy.resolveThroughProxy', checked)}
        />
        {/* Electron asks the operating system; plain Node needs the PAC script's address. */}
        {isBrowserMode && <TextField {...field('pacUrl', values.method === 'system-proxy')} value={values.pacUrl} onChange={(url) => onChange('pacUrl', url)} />}
      </fieldset>

      <fieldset>
        <legend>Security</legend>
        <CheckboxField {...field('allowUnencrypted')} checked={values.allowUnencrypted} onChange={(checked) => onChange('allowUnencrypted', checked)} />
        <TextAreaField {...field('trustedCaPem')} value={values.trustedCaPem} onChange={(pem) => onChange('trustedCaPem', pem)} />
      </fieldset>

      <fieldset>
        <legend>Timing</legend>
        <div className="field-row">
          <NumberField {...field('attemptDelayMs')} value={values.attemptDelayMs} empty={Number.NaN} onChange={(delay) => onChange('attemptDelayMs', delay)} />
          <NumberField {...field('deadlineMs')} value={values.deadlineMs} empty={Number.NaN} onChange={(deadline) => onChange('deadlineMs', deadline)} />
        </div>
      </fieldset>
    </div>
  );
}

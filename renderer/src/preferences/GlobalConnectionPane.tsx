import { secretKeys } from '../../../electron/common/settings/secret-keys.js';
import { ConnectionFields } from './ConnectionFields.js';
import { errorKeys, globalValues } from './draft.js';
import type { SettingsForm } from './useSettingsDraft.js';

/** Global connection settings: what every community uses unless its Connection tab says otherwise. */
export function GlobalConnectionPane({ form }: { form: SettingsForm }) {
  return (
    <>
      <p className="pane-intro">These settings apply to every server community that uses the global connection settings.</p>
      <ConnectionFields
        form={form}
        values={globalValues(form.view, form.draft)}
        errorKeyOf={errorKeys.global}
        onChange={form.setGlobal}
        proxyPasswordKey={secretKeys.globalProxyPassword}
      />
    </>
  );
}

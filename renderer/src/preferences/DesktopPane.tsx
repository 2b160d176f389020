import type { DesktopKey } from '../../../electron/common/settings/desktop.js';
import { CheckboxField, NumberField } from './controls.js';
import { desktopFormValues, errorKeys } from './draft.js';
import { fieldId } from './Field.js';
import { desktopLabels } from './labels.js';
import type { SettingsForm } from './useSettingsDraft.js';

/** How Burrow lives on the desktop: the tray, start at login, and away when idle. */
export function DesktopPane({ form }: { form: SettingsForm }) {
  const values = desktopFormValues(form.view, form.draft);
  const field = (key: DesktopKey) => {
    const locked = form.isDesktopLocked(key);
    return { id: fieldId(errorKeys.desktop(key)), label: desktopLabels[key], error: form.errorFor(errorKeys.desktop(key)), locked, disabled: locked };
  };
  return (
    <>
      <p className="pane-intro">
        The tray and start at login are for the desktop app; on macOS, closing the window always keeps Burrow running, as Mac apps do. Away when idle works everywhere.
      </p>
      <CheckboxField {...field('closeToTray')} checked={values.closeToTray} onChange={(checked) => form.setDesktop('closeToTray', checked)} />
      <CheckboxField {...field('startAtLogin')} checked={values.startAtLogin} onChange={(checked) => form.setDesktop('startAtLogin', checked)} />
      <NumberField {...field('awayAfterMinutes')} value={values.awayAfterMinutes} empty={Number.NaN} onChange={(minutes) => form.setDesktop('awayAfterMinutes', minutes)} />
    </>
  );
}

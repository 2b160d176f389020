import { useEffect, useRef, useState } from 'react';
import type { PreferencesField } from '../../../electron/contract/diagnosis.js';
import { preferencesPlaceOf, type PreferencesPlace } from '../../../electron/contract/windows.js';
import { burrow } from '../api/burrow.js';
import { CommunitiesPane } from './CommunitiesPane.js';
import { DesktopPane } from './DesktopPane.js';
import { errorKeys, type FieldProblem } from './draft.js';
import { fieldId } from './Field.js';
import { GlobalConnectionPane } from './GlobalConnectionPane.js';
import { sectionLabels, type CommunityTab, type Section } from './labels.js';
import { TabList, TabPanel } from './Tabs.js';
import { useEscapeToCancel } from './useEscapeToCancel.js';
import { useFocusRequest } from './useFocusRequest.js';
import { useSettingsDraft } from './useSettingsDraft.js';

const close = () => void burrow.invoke('window:close');

/** File › Preferences: Server Communities, Global connection settings, and Desktop and presence, with OK, Cancel and Apply. */
export function PreferencesWindow() {
  const settings = useSettingsDraft();
  const [section, setSection] = useState<Section>('communities');
  const [communityId, setCommunityId] = useState<string | null>(null);
  const [communityTab, setCommunityTab] = useState<CommunityTab>('server');
  const requestFocus = useFocusRequest();
  useEscapeToCancel(close);
  const showProblem = (problem: Pick<FieldProblem, 'key' | 'path' | 'communityId'>) => {
    if (problem.path.startsWith('desktop.')) {
      setSection('desktop');
    } else if (problem.communityId === undefined) {
      setSection('global');
    } else {
      setSection('communities');
      setCommunityId(problem.communityId);
      setCommunityTab(problem.path.startsWith('connection.') ? 'connection' : 'server');
    }
    requestFocus(fieldId(problem.key));
  };

  /** A community's field that advice points to: its Server tab, its Connection tab, or the global settings it uses. */
  const showPlace = ({ communityId: id, field }: PreferencesPlace) => {
    if (settings.status !== 'ready') return;
    const entry = settings.draft.communities.find(({ community }) => community.id === id);
    if (!entry) return;
    if (field === 'hostServer' || field === 'username') showProblem({ communityId: id, path: field, key: errorKeys.community(id, field) });
    else if (entry.community.useGlobalConnection) showProblem({ path: field, key: errorKeys.global(field) });
    else showProblem({ communityId: id, path: `connection.${field}`, key: errorKeys.community(id, `connection.${field}`) });
  };
  const showField = (id: string) => (field: PreferencesField) => showPlace({ communityId: id, field });

  // Opened from advice: once the settings are in, show the field it points to.
  const placeToShow = useRef(preferencesPlaceOf(location.search));
  useEffect(() => {
    if (settings.status !== 'ready' || !placeToShow.current) return;
    showPlace(placeToShow.current);
    placeToShow.current = null;
  });

  if (settings.status !== 'ready') {
    return (
      <main className="preferences-window">
        <h1>Preferences</h1>
        {settings.status === 'loading' ? (
          <p role="status">Loading your settings…</p>
        ) : (
          <p className="banner banner-error" role="alert">
            Your settings could not be loaded: {settings.error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={close}>
            Close
          </button>
        </div>
      </main>
    );
  }
  const form = settings;

  const apply = async (): Promise<boolean> => {
    const saved = await form.save();
    const [firstProblem] = form.problems;
    if (!saved && firstProblem) showProblem(firstProblem);
    return saved;
  };

  const ok = async () => {
    if (!form.dirty || (await apply())) close();
  };

  return (
    <main className="preferences-window">
      <h1>Preferences</h1>
      <div className="preferences-body">
        <TabList idPrefix="preferences" label="Preferences sections" tabs={sectionLabels} selected={section} onSelect={setSection} orientation="vertical" className="preferences-sections" />
        <TabPanel idPrefix="preferences" tab={section} className="preferences-panel">
          <h2 className="visually-hidden">{sectionLabels[section]}</h2>
          {section === 'communities' ? (
            <CommunitiesPane
              form={form}
              selectedId={communityId}
              onSelect={setCommunityId}
              tab={communityTab}
              onTabChange={setCommunityTab}
              requestFocus={requestFocus}
              showField={showField}
            />
          ) : section === 'global' ? (
            <GlobalConnectionPane form={form} />
          ) : (
            <DesktopPane form={form} />
          )}
        </TabPanel>
      </div>
      <div role="alert" className="preferences-alert">
        {form.serverError ?? (form.blockedByProblems && `Not saved: ${form.problems.length === 1 ? 'one setting needs' : `${form.problems.length} settings need`} correcting first.`)}
      </div>
      {form.changedElsewhere && (
        <p role="status" className="preferences-status">
          Another window changed these settings. Cancel to see them, or Apply to keep yours.
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" className="primary" onClick={() => void ok()} disabled={form.saving}>
          OK
        </button>
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button type="button" onClick={() => void apply()} disabled={!form.dirty || form.saving}>
          Apply
        </button>
      </div>
    </main>
  );
}

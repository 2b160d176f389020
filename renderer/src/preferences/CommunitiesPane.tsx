import type { KeyboardEvent } from 'react';
import type { PreferencesField } from '../../../electron/contract/diagnosis.js';
import { CommunityEditor } from './CommunityEditor.js';
import { communityLocks, errorKeys } from './draft.js';
import { fieldId, LOCKED_NOTE } from './Field.js';
import type { CommunityTab } from './labels.js';
import { movedIndex } from './rovingFocus.js';
import type { SettingsForm } from './useSettingsDraft.js';

export interface CommunitiesPaneProps {
  form: SettingsForm;
  /** The community being edited; the first one when null or gone. */
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  tab: CommunityTab;
  onTabChange: (tab: CommunityTab) => void;
  requestFocus: (elementId: string) => void;
  /** Shows a field of a community that advice points to. */
  showField: (communityId: string) => (field: PreferencesField) => void;
}

const optionId = (id: string) => `community-option-${id}`;

/** Server Communities: the list (add, remove) and the selected community's editor. */
export function CommunitiesPane({ form, selectedId, onSelect, tab, onTabChange, requestFocus, showField }: CommunitiesPaneProps) {
  const entries = form.draft.communities;
  const selectedIndex = Math.max(0, entries.findIndex(({ community }) => community.id === selectedId));
  const selected = entries[selectedIndex];
  const locked = selected !== undefined && !communityLocks(form.view, selected.community.id).removable;

  const select = (index: number) => {
    const id = entries[index]?.community.id;
    if (id === undefined) return;
    onSelect(id);
    requestFocus(optionId(id));
  };

  const onListKeyDown = (event: KeyboardEvent) => {
    const next = movedIndex(event, selectedIndex, entries.length, 'vertical');
    if (next === null) return;
    event.preventDefault();
    select(next);
  };

  const add = () => {
    const id = form.addCommunity();
    onSelect(id);
    onTabChange('server');
    requestFocus(fieldId(errorKeys.community(id, 'displayName')));
  };

  const remove = () => {
    if (!selected) return;
    form.removeCommunity(selected.community.id);
    const neighbour = entries[selectedIndex + 1] ?? entries[selectedIndex - 1];
    onSelect(neighbour?.community.id ?? null);
    requestFocus(neighbour ? optionId(neighbour.community.id) : 'add-community');
  };

  return (
    <div className="communities-pane">
      <div className="community-list">
        {entries.length === 0 ? (
          <p className="pane-intro">No server communities yet. Add the one your administrator told you about to start chatting.</p>
        ) : (
          <ul role="listbox" aria-label="Communities" onKeyDown={onListKeyDown}>
            {entries.map(({ community, adminProvided }, index) => (
              <li
                key={community.id}
                id={optionId(community.id)}
                role="option"
                aria-selected={index === selectedIndex}
                aria-label={community.displayName}
                aria-describedby={`${optionId(community.id)}-details`}
                tabIndex={index === selectedIndex ? 0 : -1}
                onClick={() => select(index)}
              >
                <span className="community-name">{community.displayName}</span>
                <span id={`${optionId(community.id)}-details`} className="community-details">
                  {community.hostServer || 'No host server yet'}
                  {adminProvided && ' · from your administrator'}
                </span>
              </li>
            ))}
          </ul>
        )}
        <div className="community-list-buttons">
          <button type="button" id="add-community" onClick={add}>
            Add community
          </button>
          <button
            type="button"
            onClick={remove}
            disabled={!selected || selected.adminProvided || locked}
            title={locked ? `${LOCKED_NOTE}; it cannot be removed` : selected?.adminProvided ? 'Provided by your administrator; it cannot be removed' : undefined}
          >
            Remove
          </button>
        </div>
      </div>
      {selected ? (
        <CommunityEditor key={selected.community.id} form={form} entry={selected} tab={tab} onTabChange={onTabChange} showField={showField(selected.community.id)} />
      ) : (
        <p className="pane-intro community-editor-empty">Choose Add community to set up a server community.</p>
      )}
    </div>
  );
}

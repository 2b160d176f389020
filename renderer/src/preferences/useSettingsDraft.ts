import { useEffect, useMemo, useState } from 'react';
import type { ConnectionKey, FlatConnection } from '../../../electron/common/settings/connection-keys.js';
import type { DesktopKey, DesktopSettings } from '../../../electron/common/settings/desktop.js';
import type { Community } from '../../../electron/common/settings/schema.js';
import { BurrowRequestError, type SettingsView } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { burrow } from '../api/burrow.js';
import {
  communitySecretKeys,
  draftFromView,
  errorKeys,
  globalValues,
  isDirty,
  saveRequest,
  storedOverrides,
  validateDraft,
  withDesktopOverride,
  withOverride,
  type SettingsDraft,
} from './draft.js';

interface Loaded {
  view: SettingsView;
  draft: SettingsDraft;
  /** While a save is under way, the `settings:changed` it causes is not news. */
  saving: boolean;
  /** Another window saved while this one had unsaved changes. */
  changedElsewhere: boolean;
}

export type SettingsForm = NonNullable<ReturnType<typeof useLoadedForm>>;

export type SettingsDraftState = { status: 'loading' } | { status: 'failed'; error: string } | ({ status: 'ready' } & SettingsForm);

function messageOf(error: unknown): string {
  if (error instanceof BurrowRequestError && error.code === 'forbidden') return `Not saved. ${error.message}.`;
  if (error instanceof BurrowRequestError && error.code === 'invalid-payload') return `Not saved: Burrow refused these settings. ${error.message}`;
  return `Not saved: ${errorWords(error)}`;
}

function loaded(view: SettingsView): Loaded {
  return { view, draft: draftFromView(view), saving: false, changedElsewhere: false };
}

/** The Preferences form's state: the settings as stored, the user's unsaved edits, their problems, and saving. */
export function useSettingsDraft(): SettingsDraftState {
  const [state, setState] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    burrow.invoke('settings:get').then(
      (view) => setState((current) => current ?? loaded(view)),
      (error: unknown) => setLoadError(errorWords(error)),
    );
    return burrow.on('settings:changed', (next) =>
      setState((current) => {
        if (!current || current.saving) return current;
        return isDirty(current.draft, current.view) ? { ...current, changedElsewhere: true } : loaded(next);
      }),
    );
  }, []);

  const form = useLoadedForm(state, setState);
  if (loadError !== null) return { status: 'failed', error: loadError };
  if (form === null) return { status: 'loading' };
  return { status: 'ready', ...form };
}

function useLoadedForm(state: Loaded | null, setState: (update: (current: Loaded | null) => Loaded | null) => void) {
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [revealAll, setRevealAll] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const problems = useMemo(() => (state ? validateDraft(state.view, state.draft) : []), [state]);

  if (!state) return null;
  const { view, draft } = state;

  const edit = (change: (draft: SettingsDraft) => SettingsDraft, ...touchedKeys: string[]) => {
    setState((current) => current && { ...current, draft: change(current.draft) });
    if (touchedKeys.length > 0) setTouched((current) => new Set([...current, ...touchedKeys]));
    setServerError(null);
  };

  const updateCommunity = (id: string, change: (community: Community) => Community) => (current: SettingsDraft) => ({
    ...current,
    communities: current.communities.map((entry) => (entry.community.id === id ? { ...entry, community: change(entry.community) } : entry)),
  });

  const shownProblems = new Map(problems.filter(({ key }) => revealAll || touched.has(key)).map(({ key, message }) => [key, message]));

  return {
    view,
    draft,
    dirty: isDirty(draft, view),
    saving: state.saving,
    changedElsewhere: state.changedElsewhere,
    serverError,
    problems,
    /** The user tried to save while some fields were wrong. */
    blockedByProblems: revealAll && problems.length > 0,
    /** A field's problem, once the user has edited it or tried to save. */
    errorFor: (key: string) => shownProblems.get(key),
    isLocked: (key: ConnectionKey) => view.lockedKeys.includes(key),
    hasStoredPassword: (key: string) => view.storedPasswords.includes(key),
    isDesktopLocked: (key: DesktopKey) => view.desktop[key]?.source === 'admin-locked',

    setGlobal<K extends ConnectionKey>(key: K, value: FlatConnection[K]) {
      edit(
        (current) => ({ ...current, connection: withOverride(current.connection, storedOverrides(view), key, value, view.global[key]?.value) }),
        errorKeys.global(key),
      );
    },
    setDesktop<K extends DesktopKey>(key: K, value: DesktopSettings[K]) {
      edit((current) => ({ ...current, desktop: withDesktopOverride(view, current.desktop, key, value) }), errorKeys.desktop(key));
    },
    setCommunity<K extends keyof Community>(id: string, field: K, value: Community[K]) {
      edit(updateCommunity(id, (community) => ({ ...community, [field]: value })), errorKeys.community(id, field));
    },
    setCommunityConnection<K extends ConnectionKey>(id: string, key: K, value: FlatConnection[K]) {
      edit(
        (current) =>
          updateCommunity(id, (community) => ({
            ...community,
            connection: withOverride(community.connection, storedOverrides(view, id), key, value, globalValues(view, current)[key]),
          }))(current),
        errorKeys.community(id, `connection.${key}`),
      );
    },
    setPassword(key: string, value: string) {
      edit((current) => ({ ...current, passwords: { ...current.passwords, [key]: value } }));
    },
    /** Adds a community and returns its id. */
    addCommunity(): string {
      const id = crypto.randomUUID();
      const community: Community = { id, displayName: 'New community', hostServer: '', username: '', useGlobalConnection: true, connection: {} };
      edit((current) => ({ ...current, communities: [...current.communities, { community, adminProvided: false }] }));
      return id;
    },
    removeCommunity(id: string) {
      edit((current) => {
        const passwords = { ...current.passwords };
        for (const key of communitySecretKeys(id)) {
          if (view.storedPasswords.includes(key)) passwords[key] = null;
          else delete passwords[key];
        }
        return { ...current, communities: current.communities.filter(({ community }) => community.id !== id), passwords };
      });
    },
    /** Saves the draft; false when it has problems (now all shown) or Burrow refused it (see serverError). */
    async save(): Promise<boolean> {
      if (problems.length > 0) {
        setRevealAll(true);
        return false;
      }
      setState((current) => current && { ...current, saving: true });
      try {
        const saved = await burrow.invoke('settings:save', saveRequest(draft, view));
        setState(() => loaded(saved));
        setTouched(new Set());
        setRevealAll(false);
        setServerError(null);
        return true;
      } catch (error) {
        setState((current) => current && { ...current, saving: false });
        setServerError(messageOf(error));
        return false;
      }
    },
  };
}


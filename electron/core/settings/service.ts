/**
 * Settings behind the contract: reads and saves the user's settings and passwords, resolves
 * what applies (with sources) and tells every window when something changed.
 */
import type { SettingsView } from '../../contract/contract.js';
import { HandlerError, type Handlers } from '../../contract/validate.js';
import { secretKeys } from '../../common/settings/secret-keys.js';
import { SettingsValidationError } from '../../common/settings/issues.js';
import type { EventHub } from '../events.js';
import type { NoticeBoard } from '../notices.js';
import { LockedSettingError, lockedKeys } from './locks.js';
import { certificateTrustAllowed, type AdministratorPolicy } from './policy.js';
import { resolveCommunities, resolveConnection } from './resolve.js';
import { desktopValues, resolveDesktop } from './resolve-desktop.js';
import type { DesktopSettings } from '../../common/settings/desktop.js';
import type { SecretStore } from './secrets.js';
import { openSettingsStore, type CreateConf, type SettingsStore } from './store.js';
import { keepStoredTrust } from './trusted-certificates.js';

export interface SettingsServiceOptions {
  dataDir: string;
  secrets: SecretStore;
  policy: AdministratorPolicy;
  events: EventHub;
  notices: NoticeBoard;
  createConf?: CreateConf;
}

export interface SettingsService {
  readonly store: SettingsStore;
  readonly policy: AdministratorPolicy;
  view(): Promise<SettingsView>;
  /** The tray, start at login and away when idle, as they apply now. */
  desktop(): DesktopSettings;
  readonly handlers: Handlers<'settings:get' | 'settings:save'>;
}

export async function openSettingsService(options: SettingsServiceOptions): Promise<SettingsService> {
  const { secrets, policy, events, notices } = options;
  const store = await openSettingsStore({ cwd: options.dataDir, secrets, policy, ...(options.createConf ? { createConf: options.createConf } : {}) });
  for (const notice of store.notices) notices.post(notice.level, notice.message);

  async function storedPasswords(communityIds: string[]): Promise<string[]> {
    const keys = [secretKeys.globalProxyPassword, ...communityIds.flatMap((id) => [secretKeys.communityPassword(id), secretKeys.communityProxyPassword(id)])];
    const present = await Promise.all(keys.map(async (key) => ((await secrets.get(key)) === undefined ? null : key)));
    return present.filter((key) => key !== null);
  }

  async function view(): Promise<SettingsView> {
    const settings = store.read();
    const communities = resolveCommunities(settings, policy).map(({ community, source }) => {
      const lock = policy.communityLocks[community.id];
      return { community, source, connection: resolveConnection(settings, policy, community.id), lockedFields: lock?.fields ?? [], removable: lock === undefined };
    });
    return {
      settings,
      global: resolveConnection(settings, policy),
      desktop: resolveDesktop(settings, policy),
      communities,
      lockedKeys: lockedKeys(policy),
      storedPasswords: await storedPasswords(communities.map(({ community }) => community.id)),
      certificateTrustAllowed: certificateTrustAllowed(policy),
      settingsFile: store.path,
    };
  }

  return {
    store,
    policy,
    view,
    desktop: () => desktopValues(resolveDesktop(store.read(), policy)),
    handlers: {
      'settings:get': view,
      'settings:save': async ({ settings, passwords }) => {
        try {
          store.write(keepStoredTrust(store.read(), settings, policy));
        } catch (error) {
          if (error instanceof LockedSettingError) throw new HandlerError('forbidden', error.message);
          if (error instanceof SettingsValidationError) throw new HandlerError('invalid-payload', error.message);
          throw error;
        }
        for (const { key, value } of passwords) {
          if (value === null) await secrets.delete(key);
          else await secrets.set(key, value);
        }
        const changed = await view();
        events.emit('settings:changed', changed);
        return changed;
      },
    },
  };
}

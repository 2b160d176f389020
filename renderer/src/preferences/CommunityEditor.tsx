import type { Community } from '../../../electron/common/settings/schema.js';
import type { PreferencesField } from '../../../electron/contract/diagnosis.js';
import { secretKeys } from '../../../electron/common/settings/secret-keys.js';
import { ConnectionFields } from './ConnectionFields.js';
import { ConnectionTest } from './ConnectionTest.js';
import { CheckboxField, NumberField, PasswordField, TextField } from './controls.js';
import { communityLocks, communityValues, errorKeys, resolvedCommunityConnection, type CommunityDraft } from './draft.js';
import { fieldId } from './Field.js';
import { communityLabels, communityTabLabels, passwordLabels, type CommunityTab } from './labels.js';
import { TabList, TabPanel } from './Tabs.js';
import { TrustedCertificates } from './TrustedCertificates.js';
import type { SettingsForm } from './useSettingsDraft.js';

export interface CommunityEditorProps {
  form: SettingsForm;
  entry: CommunityDraft;
  tab: CommunityTab;
  onTabChange: (tab: CommunityTab) => void;
  showField: (field: PreferencesField) => void;
}

/** One server community: its Server and Connection tabs. */
export function CommunityEditor({ form, entry: { community, adminProvided }, tab, onTabChange, showField }: CommunityEditorProps) {
  const { id } = community;
  const idPrefix = `community-${id}`;
  const { lockedFields } = communityLocks(form.view, id);
  const resolvedConnection = resolvedCommunityConnection(form.view, id);
  const field = (name: keyof Community & string) => ({
    id: fieldId(errorKeys.community(id, name)),
    label: communityLabels[name] ?? name,
    error: form.errorFor(errorKeys.community(id, name)),
    locked: lockedFields.includes(name),
    disabled: lockedFields.includes(name),
  });
  const set = <K extends keyof Community>(name: K) => (value: Community[K]) => form.setCommunity(id, name, value);
  const passwordKey = secretKeys.communityPassword(id);
  const typedPassword = form.draft.passwords[passwordKey];

  return (
    <section className="community-editor" aria-labelledby={`${idPrefix}-title`}>
      <header className="community-editor-header">
        <h2 id={`${idPrefix}-title`}>{community.displayName.trim() || 'Unnamed community'}</h2>
        {adminProvided && <p className="admin-badge">Provided by your administrator</p>}
      </header>
      <TabList idPrefix={idPrefix} label="Community settings" tabs={communityTabLabels} selected={tab} onSelect={onTabChange} className="tabs" />
      <TabPanel idPrefix={idPrefix} tab={tab} className="tab-panel">
        {tab === 'server' ? (
          <>
            <TextField {...field('displayName')} value={community.displayName} onChange={set('displayName')} />
            <TextField {...field('hostServer')} value={community.hostServer} onChange={set('hostServer')} />
            <NumberField<number | undefined> {...field('port')} value={community.port} empty={undefined} onChange={set('port')} />
            <TextField {...field('xmppDomain')} value={community.xmppDomain ?? ''} onChange={(domain) => form.setCommunity(id, 'xmppDomain', domain === '' ? undefined : domain)} />
            <div className="field-row">
              <TextField {...field('username')} value={community.username} autoComplete="username" onChange={set('username')} />
              <PasswordField
                id={`${field('username').id}-password`}
                label={passwordLabels.account}
                value={typedPassword ?? ''}
                saved={typedPassword === undefined && form.hasStoredPassword(passwordKey)}
                onChange={(password) => form.setPassword(passwordKey, password)}
              />
            </div>
            <TrustedCertificates communityId={id} view={form.view} />
          </>
        ) : (
          <>
            <CheckboxField {...field('useGlobalConnection')} checked={community.useGlobalConnection} onChange={set('useGlobalConnection')} />
            {community.useGlobalConnection && <p className="pane-intro">Showing the global connection settings, which this community uses.</p>}
            <ConnectionFields
              form={form}
              values={communityValues(form.view, form.draft, community)}
              errorKeyOf={(key) => errorKeys.community(id, `connection.${key}`)}
              onChange={(key, value) => form.setCommunityConnection(id, key, value)}
              proxyPasswordKey={secretKeys.communityProxyPassword(id)}
              isLocked={(key) => resolvedConnection[key]?.source === 'admin-locked'}
              disabled={community.useGlobalConnection}
            />
          </>
        )}
      </TabPanel>
      <ConnectionTest
        communityId={id}
        community={community.displayName}
        saved={form.view.communities.some((saved) => saved.community.id === id)}
        unsavedChanges={form.dirty}
        onShowField={showField}
      />
    </section>
  );
}

import { useState, type FormEvent } from 'react';
import { secretKeys } from '../../../electron/common/settings/secret-keys.js';
import { BurrowRequestError, type AccountView, type BurrowApi, type SettingsView } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { PasswordField, TextField } from '../preferences/controls.js';
import { sameValue } from '../../../electron/common/settings/connection-keys.js';
import { completePolicyCommunity, firstRunCommunity, policyCommunityToComplete, type FirstRunField, type FirstRunInput } from './firstRunCommunity.js';
import { StatusBanner } from './StatusBanner.js';

function errorText(error: unknown): string {
  if (error instanceof BurrowRequestError && error.code === 'invalid-payload') return `Burrow refused these details. ${error.message}`;
  return errorWords(error);
}

export interface FirstRunProps {
  api: BurrowApi;
  view: SettingsView;
  accounts: readonly AccountView[];
  /** A save is about to happen: from now on the chat window keeps this flow up until onFinished. */
  onStarted: () => void;
  /** A fresh accounts:list, which shows the new community's account. */
  onAccounts: (accounts: AccountView[]) => void;
  onFinished: () => void;
}

/**
 * No community yet: host, user name and password (everything else Automatic). Under a policy:
 * only what the administrator left open of its community. Then the connection as it happens,
 * and what came of it.
 */
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Core sets up the new community's account once it has applied the saved settings, and may
 * connect it on its own: wait for the account to exist, and connect it only if nothing has.
 */
async function connectNewAccount(api: BurrowApi, communityId: string, onAccounts: (accounts: AccountView[]) => void): Promise<void> {
  for (let tries = 0; tries < 15; tries++) {
    const listed = await api.invoke('accounts:list');
    const account = listed.find((candidate) => candidate.communityId === communityId);
    if (account) {
      onAccounts(listed);
      if (account.lifecycle.state === 'offline' || account.lifecycle.state === 'failed') await api.invoke('account:connect', { communityId });
      return;
    }
    await delay(200);
  }
  await api.invoke('account:connect', { communityId });
}

export function FirstRun({ api, view, accounts, onStarted, onAccounts, onFinished }: FirstRunProps) {
  const [input, setInput] = useState<FirstRunInput>({ host: '', username: '', password: '' });
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The community this flow saved; editing the details again updates it. */
  const [communityId, setCommunityId] = useState<string | null>(null);
  const [editing, setEditing] = useState(true);
  /** Chosen once: saving its password must not turn this flow into another. */
  const [policyCommunity] = useState(() => policyCommunityToComplete(view));

  const taken = view.communities.map(({ community }) => community.id);
  const result = policyCommunity ? completePolicyCommunity(policyCommunity, input) : firstRunCommunity(input, communityId, taken);
  const problemOf = (field: FirstRunField) => (tried && !result.ok ? result.problems[field] : undefined);
  const set = (field: FirstRunField) => (value: string) => setInput((current) => ({ ...current, [field]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!result.ok) {
      const firstField = (['host', 'username', 'password'] as const).find((field) => result.problems[field]);
      if (firstField) document.getElementById(`first-run-${firstField}`)?.focus();
      return;
    }
    const { community } = result;
    setBusy(true);
    setError(null);
    // Before saving: the settings:changed the save causes may arrive before its answer.
    onStarted();
    try {
      // An administrator's community the user added nothing to but a password stays the administrator's.
      const unchanged = policyCommunity !== undefined && sameValue(community, policyCommunity);
      const communities = unchanged ? view.settings.communities : [...view.settings.communities.filter(({ id }) => id !== community.id), community];
      await api.invoke('settings:save', {
        settings: { ...view.settings, communities },
        passwords: [{ key: secretKeys.communityPassword(community.id), value: input.password }],
      });
      setCommunityId(community.id);
      setEditing(false);
    } catch (reason) {
      setError(`Not saved: ${errorText(reason)}`);
      return;
    } finally {
      setBusy(false);
    }
    try {
      await connectNewAccount(api, community.id, onAccounts);
    } catch (reason) {
      setError(`Could not connect: ${errorText(reason)}`);
    }
  };

  const account = accounts.find((candidate) => candidate.communityId === communityId);
  return (
    <section className="first-run" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Welcome to Burrow</h1>
      {editing ? (
        <form
          className="first-run-form"
          aria-label={policyCommunity ? `Sign in to ${policyCommunity.displayName}` : 'Add your server community'}
          onSubmit={(event) => void submit(event)}
          noValidate
        >
          {policyCommunity ? (
            <p className="first-run-intro">
              Your administrator set up {policyCommunity.displayName} ({policyCommunity.hostServer}) for you.{' '}
              {policyCommunity.username ? `Enter the password of ${policyCommunity.username} to sign in.` : 'Enter your user name and password to sign in.'}
            </p>
          ) : (
            <p className="first-run-intro">
              Add your server community to start chatting. Burrow finds its way to the server from any network: direct, through a proxy or over
              HTTPS.
            </p>
          )}
          {!policyCommunity && <TextField id="first-run-host" label="Host server" value={input.host} onChange={set('host')} error={problemOf('host')} />}
          {!policyCommunity?.username && (
            <TextField id="first-run-username" label="User name" value={input.username} onChange={set('username')} autoComplete="username" error={problemOf('username')} />
          )}
          <PasswordField id="first-run-password" label="Password" value={input.password} saved={false} onChange={set('password')} error={problemOf('password')} />
          {!policyCommunity && <p className="field-note">Connection: Automatic. You can change it, or add proxies and more communities, in Preferences.</p>}
          {error && (
            <p className="banner banner-error" role="alert">
              {error}
            </p>
          )}
          <div className="first-run-buttons">
            {view.communities.length > 0 && (
              <button type="button" onClick={onFinished}>
                Continue to Burrow
              </button>
            )}
            <button type="button" onClick={() => void api.invoke('window:openPreferences')}>
              Open Preferences
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Connect'}
            </button>
          </div>
        </form>
      ) : (
        <div className="first-run-progress">
          {account ? <StatusBanner account={account} api={api} /> : <p role="status">Saved. Connecting…</p>}
          {account?.lifecycle.state === 'online' && <p className="first-run-done">You are signed in as {account.jid ?? (result.ok ? result.community.username : input.username)}.</p>}
          {error && (
            <p className="banner banner-error" role="alert">
              {error}
            </p>
          )}
          <div className="first-run-buttons">
            {account?.lifecycle.state !== 'online' && (
              <button type="button" onClick={() => setEditing(true)}>
                Change details
              </button>
            )}
            <button type="button" className={account?.lifecycle.state === 'online' ? 'primary' : undefined} onClick={onFinished}>
              {account?.lifecycle.state === 'online' ? 'Start chatting' : 'Continue to Burrow'}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

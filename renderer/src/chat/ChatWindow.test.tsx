// @vitest-environment jsdom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SETTINGS_VERSION } from '../../../electron/common/settings/schema.js';
import type { AccountView, SaveSettings, SettingsView } from '../../../electron/contract/contract.js';
import type { ChatCommand } from '../shell/commands.js';
import { ChatWindow } from './ChatWindow.js';
import { account, contact, fakeApi, layOutVirtualListsInEachTest, lifecycle, message, samplePaths, wholeHistory, type FakeResponses } from './testing.js';

layOutVirtualListsInEachTest();

vi.mock('../api/burrow.js', () => ({ burrow: { invoke: vi.fn(), on: () => () => undefined }, isBrowserMode: false }));

afterEach(() => vi.restoreAllMocks());
// jsdom lays nothing out and has no matchMedia: a wide window, the contacts beside the conversation.
vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener: () => undefined, removeEventListener: () => undefined }));

function settingsView(communityIds: string[]): SettingsView {
  const communities = communityIds.map((id) => ({ id, displayName: 'Lab', hostServer: 'chat.lab.test', username: 'alice', useGlobalConnection: true, connection: {} }));
  return {
    settings: { version: SETTINGS_VERSION, connection: {}, communities, trustedCertificates: {}, desktop: {} },
    global: {},
    desktop: {},
    communities: communities.map((community) => ({ community, source: 'user' as const, connection: {}, lockedFields: [], removable: true })),
    lockedKeys: [],
    storedPasswords: [],
    certificateTrustAllowed: true,
    settingsFile: '/tmp/settings.json',
  };
}

function commandSource() {
  const listeners = new Set<(command: ChatCommand) => void>();
  return {
    subscribe: (listener: (command: ChatCommand) => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    fire: (command: ChatCommand) => listeners.forEach((listener) => listener(command)),
  };
}

function messenger(responses: FakeResponses = {}) {
  const fake = fakeApi({
    'settings:get': () => settingsView(['lab']),
    'accounts:list': () => [account()],
    'roster:get': () => ({
      communityId: 'lab',
      contacts: [contact('bob@lab.test', { name: 'Bob', groups: ['Friends'] })],
      requests: ['gina@lab.test'],
    }),
    'chat:conversations': () => [{ communityId: 'lab', peer: 'bob@lab.test', unread: 2, last: null }],
    'chat:history': () => wholeHistory(message('earlier', { direction: 'in', state: 'received', id: 'h1' })),
    'messageRequests:get': emptyRoster['messageRequests:get'],
    ...responses,
  });
  const commands = commandSource();
  render(<ChatWindow api={fake.api} commands={commands} pageNotifications={false} />);
  return { ...fake, commands };
}

const emptyRoster: FakeResponses = {
  'roster:get': ({ communityId }) => ({ communityId, contacts: [], requests: [] }),
  'chat:conversations': () => [],
  'messageRequests:get': ({ communityId }) => ({ communityId, requests: [] }),
};

describe('ChatWindow, first run', () => {
  it('asks for host, user name and password, saves them with every other setting Automatic, connects and shows what happened', async () => {
    const user = userEvent.setup();
    let saved: SaveSettings | undefined;
    let accounts: AccountView[] = [];
    const fake = fakeApi({
      'settings:get': () => settingsView([]),
      'settings:save': (request) => {
        saved = request;
        accounts = [account({ communityId: 'chat.lab.test', displayName: 'chat.lab.test', lifecycle: lifecycle.offline() })];
        return settingsView(['chat.lab.test']);
      },
      'accounts:list': () => accounts,
      ...emptyRoster,
    });
    render(<ChatWindow api={fake.api} commands={commandSource()} pageNotifications={false} />);

    expect(await screen.findByRole('heading', { name: 'Welcome to Burrow' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(screen.getByText('Host server is required')).toBeTruthy();
    expect(fake.calls('settings:save')).toEqual([]);

    await user.type(screen.getByLabelText('Host server'), 'chat.lab.test');
    await user.type(screen.getByLabelText('User name'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Connect' }));

    await waitFor(() => expect(fake.calls('account:connect')).toEqual([{ communityId: 'chat.lab.test' }]));
    expect(saved).toEqual({
      settings: {
        version: SETTINGS_VERSION,
        connection: {},
        communities: [{ id: 'chat.lab.test', displayName: 'chat.lab.test', hostServer: 'chat.lab.test', username: 'alice', useGlobalConnection: true, connection: {} }],
        trustedCertificates: {},
        desktop: {},
      },
      passwords: [{ key: 'community:chat.lab.test:password', value: 'secret' }],
    });

    fake.emit('account:changed', account({ communityId: 'chat.lab.test', displayName: 'chat.lab.test', lifecycle: lifecycle.connecting() }));
    expect(screen.getByRole('status', { name: 'chat.lab.test' }).textContent).toContain('Connecting…');
    fake.emit('account:changed', account({ communityId: 'chat.lab.test', displayName: 'chat.lab.test', lifecycle: lifecycle.online({ path: samplePaths.bosh }) }));
    expect(screen.getByRole('status', { name: 'chat.lab.test' }).textContent).toContain('Connected · BOSH over HTTPS, no proxy');

    await user.click(screen.getByRole('button', { name: 'Start chatting' }));
    expect(screen.getByRole('list', { name: 'Contacts' })).toBeTruthy();
    expect(screen.getByRole('status', { name: 'chat.lab.test' })).toBeTruthy();
  });

  it("under a policy asks only for what the administrator left open, keeps its community the administrator's, and connects", async () => {
    const user = userEvent.setup();
    const corp = { id: 'corp', displayName: 'Corp chat', hostServer: 'chat.corp.example', username: 'jdoe', useGlobalConnection: true, connection: {} };
    const policyView: SettingsView = {
      ...settingsView([]),
      communities: [{ community: corp, source: 'admin-default', connection: {}, lockedFields: ['hostServer'], removable: false }],
    };
    const fake = fakeApi({
      'settings:get': () => policyView,
      'settings:save': () => ({ ...policyView, storedPasswords: ['community:corp:password'] }),
      'accounts:list': () => [account({ communityId: 'corp', displayName: 'Corp chat', lifecycle: lifecycle.offline() })],
      ...emptyRoster,
    });
    render(<ChatWindow api={fake.api} commands={commandSource()} pageNotifications={false} />);

    expect(await screen.findByText(/Your administrator set up Corp chat \(chat.corp.example\) for you. Enter the password of jdoe to sign in./)).toBeTruthy();
    expect(screen.queryByLabelText('Host server')).toBeNull();
    expect(screen.queryByLabelText('User name')).toBeNull();
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Connect' }));

    await waitFor(() => expect(fake.calls('account:connect')).toEqual([{ communityId: 'corp' }]));
    expect(fake.calls('settings:save')).toEqual([{ settings: policyView.settings, passwords: [{ key: 'community:corp:password', value: 'secret' }] }]);
  });

  it('stays on the first run when the save\'s settings:changed arrives before its answer', async () => {
    const user = userEvent.setup();
    const fake = fakeApi({
      'settings:get': () => settingsView([]),
      'settings:save': () => {
        fake.emit('settings:changed', settingsView(['chat.lab.test']));
        return settingsView(['chat.lab.test']);
      },
      'accounts:list': () => [account({ communityId: 'chat.lab.test', lifecycle: lifecycle.connecting() })],
      ...emptyRoster,
    });
    render(<ChatWindow api={fake.api} commands={commandSource()} pageNotifications={false} />);
    await user.type(await screen.findByLabelText('Host server'), 'chat.lab.test');
    await user.type(screen.getByLabelText('User name'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('status', { name: 'Lab' })).textContent).toContain('Connecting…');
    expect(screen.getByRole('heading', { name: 'Welcome to Burrow' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Change details' })).toBeTruthy();
  });

  it('does not connect again when core already does', async () => {
    const user = userEvent.setup();
    let accounts: AccountView[] = [];
    const fake = fakeApi({
      'settings:get': () => settingsView([]),
      'settings:save': () => {
        accounts = [account({ communityId: 'chat.lab.test', lifecycle: lifecycle.connecting() })];
        return settingsView(['chat.lab.test']);
      },
      'accounts:list': () => accounts,
      ...emptyRoster,
    });
    render(<ChatWindow api={fake.api} commands={commandSource()} pageNotifications={false} />);
    await user.type(await screen.findByLabelText('Host server'), 'chat.lab.test');
    await user.type(screen.getByLabelText('User name'), 'alice@lab.test');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    await screen.findByRole('status', { name: 'Lab' });
    expect(fake.calls('account:connect')).toEqual([]);
    expect(fake.calls('settings:save')[0]).toMatchObject({ settings: { communities: [{ username: 'alice', xmppDomain: 'lab.test' }] } });
  });
});

describe('ChatWindow, messenger', () => {
  it('shows each community\'s status, the roster and the requests, and opens a conversation with its history', async () => {
    const user = userEvent.setup();
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const fake = messenger();
    const banner = await screen.findByRole('status', { name: 'Lab' });
    expect(banner.textContent).toContain('Connected · WebSocket over HTTPS via HTTP proxy proxy.lab.test:3128');
    const bob = await screen.findByRole('button', { name: /^Bob/ });
    expect(bob.textContent).toContain('2 unread');
    expect(screen.getByRole('list', { name: 'Contact requests' }).textContent).toContain('gina@lab.test');

    await user.click(bob);
    expect(await screen.findByText('earlier')).toBeTruthy();
    expect(fake.calls('chat:history')).toEqual([{ communityId: 'lab', peer: 'bob@lab.test' }]);
    await waitFor(() => expect(fake.calls('chat:markRead')).toEqual([{ communityId: 'lab', peer: 'bob@lab.test' }]));

    fake.emit('account:changed', account({ lifecycle: lifecycle.reconnecting({ kind: 'stream-lost' }, { step: 'waiting', retryAt: Date.now() + 5_000 }, 2) }));
    expect(screen.getByRole('status', { name: 'Lab' }).textContent).toMatch(/Reconnecting in [45] s/);
    expect(screen.getByText(/Not connected to Lab/)).toBeTruthy();
  });

  it('sends, then follows the message\'s state by id', async () => {
    const user = userEvent.setup();
    const sent = message('hello', { id: 'out-1', state: 'queued' });
    const fake = messenger({ 'chat:send': () => sent, 'chat:history': () => wholeHistory() });
    await user.click(await screen.findByRole('button', { name: /^Bob/ }));
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'hello{Enter}');
    expect(fake.calls('chat:send')).toEqual([{ communityId: 'lab', peer: 'bob@lab.test', body: 'hello' }]);
    const item = () => screen.getAllByRole('listitem').filter((candidate) => candidate.textContent?.includes('hello'));
    await waitFor(() => expect(item()).toHaveLength(1));
    expect(item()[0]!.textContent).toContain('queued');

    fake.emit('chat:message', { ...sent, state: 'delivered' });
    expect(item()).toHaveLength(1);
    expect(item()[0]!.textContent).toContain('delivered');

    fake.emit('chat:message', message('how are you?', { direction: 'in', state: 'received' }));
    expect(screen.getByText('how are you?')).toBeTruthy();
    fake.emit('chat:message', message('not for this conversation', { peer: 'carol@lab.test', direction: 'in', state: 'received' }));
    expect(screen.queryByText('not for this conversation')).toBeNull();
  });

  it('shows the peer typing in their conversation, and not in another, until their message comes', async () => {
    const user = userEvent.setup();
    const fake = messenger({ 'chat:history': () => wholeHistory() });
    await user.click(await screen.findByRole('button', { name: /^Bob/ }));
    fake.emit('chat:peerState', { communityId: 'lab', peer: 'carol@lab.test', state: 'composing' });
    expect(screen.queryByText(/is typing/)).toBeNull();
    fake.emit('chat:peerState', { communityId: 'lab', peer: 'bob@lab.test', state: 'composing' });
    expect(screen.getByText('Bob is typing…')).toBeTruthy();
    fake.emit('chat:message', message('here it is', { direction: 'in', state: 'received' }));
    expect(screen.queryByText('Bob is typing…')).toBeNull();
  });

  it('corrects the user’s last message through chat:correct and shows it edited', async () => {
    const user = userEvent.setup();
    const original = message('see you at 6', { id: 'out-1', state: 'delivered' });
    const fake = messenger({ 'chat:history': () => wholeHistory(original), 'chat:correct': ({ body }) => ({ ...original, body, edited: true }) });
    await user.click(await screen.findByRole('button', { name: /^Bob/ }));
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const composer = screen.getByRole('textbox', { name: 'Message' });
    await user.clear(composer);
    await user.type(composer, 'see you at 7{Enter}');

    expect(fake.calls('chat:correct')).toEqual([{ communityId: 'lab', peer: 'bob@lab.test', id: 'out-1', body: 'see you at 7' }]);
    const shown = await screen.findByText('see you at 7');
    expect(shown.closest('[role="listitem"]')?.textContent).toContain('edited');
    expect(screen.queryByText('see you at 6')).toBeNull();
  });

  it('opens New chat and focuses the search from the menu commands, and adds a contact', async () => {
    const user = userEvent.setup();
    const fake = messenger();
    await screen.findByRole('button', { name: /^Bob/ });

    fake.emit('chat:conversation', { communityId: 'lab', peer: 'bob@lab.test', unread: 0, last: null });
    fake.commands.fire('find-contact');
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search contacts and messages' }));

    fake.commands.fire('new-chat');
    const newChat = await screen.findByRole('form', { name: 'New chat' });
    // The form takes focus in an effect after it shows, which a loaded machine can leave a moment behind.
    await waitFor(() => expect(document.activeElement).toBe(within(newChat).getByLabelText('Chat with')));
    await user.type(within(newChat).getByLabelText('Chat with'), 'zoe@lab.test{Enter}');
    expect(await screen.findByRole('heading', { name: 'zoe@lab.test' })).toBeTruthy();
    expect(fake.calls('chat:history')).toContainEqual({ communityId: 'lab', peer: 'zoe@lab.test' });

    await user.click(screen.getByRole('button', { name: 'Add contact' }));
    const form = screen.getByRole('form', { name: 'Add contact' });
    await user.type(within(form).getByLabelText('Contact address'), 'not an address');
    await user.click(within(form).getByRole('button', { name: 'Add contact' }));
    expect(within(form).getByText('Contact address must look like name@server')).toBeTruthy();
    await user.clear(within(form).getByLabelText('Contact address'));
    await user.type(within(form).getByLabelText('Contact address'), 'dave@lab.test');
    await user.type(within(form).getByLabelText('Group (optional)'), 'Work');
    await user.click(within(form).getByRole('button', { name: 'Add contact' }));
    expect(fake.calls('roster:add')).toEqual([{ communityId: 'lab', jid: 'dave@lab.test', group: 'Work' }]);
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Add contact' })).toBeNull());
  });

  it('answers contact requests and sets the user\'s own presence and status', async () => {
    const user = userEvent.setup();
    const fake = messenger();
    await user.click(await screen.findByRole('button', { name: 'Accept gina@lab.test' }));
    expect(fake.calls('subscription:answer')).toEqual([{ communityId: 'lab', jid: 'gina@lab.test', accept: true }]);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Availability' }), 'Away');
    expect(fake.calls('presence:set')).toEqual([{ communityId: 'lab', presence: { availability: 'away', status: '' } }]);
    await user.type(screen.getByRole('textbox', { name: 'Status text' }), 'In a meeting{Enter}');
    expect(fake.calls('presence:set')).toContainEqual({ communityId: 'lab', presence: { availability: 'available', status: 'In a meeting' } });
  });

  it('groups messages from people the user does not know, and opens the conversation of a request accepted', async () => {
    const user = userEvent.setup();
    const fake = messenger({
      'messageRequests:get': ({ communityId }) => ({
        communityId,
        requests: ['zed@elsewhere.test', 'yan@elsewhere.test'].map((peer) => ({ peer, messages: 1, last: message(`hello from ${peer}`, { peer, direction: 'in', state: 'received' }) })),
      }),
    });
    await user.click(await screen.findByRole('button', { name: '2 people you don’t know wrote to you' }));
    const requests = screen.getByRole('list', { name: 'Message requests' });
    expect(within(requests).getAllByRole('listitem').map((item) => item.querySelector('strong')?.textContent)).toEqual(['zed@elsewhere.test', 'yan@elsewhere.test']);

    await user.click(screen.getByRole('button', { name: 'Accept messages from zed@elsewhere.test' }));
    expect(fake.calls('messageRequests:answer')).toEqual([{ communityId: 'lab', peer: 'zed@elsewhere.test', accept: true }]);
    expect(await screen.findByRole('heading', { name: 'zed@elsewhere.test' })).toBeTruthy();

    fake.emit('messageRequests:delta', { communityId: 'lab', upserted: [], removed: ['zed@elsewhere.test', 'yan@elsewhere.test'] });
    expect(screen.queryByRole('region', { name: 'Message requests' })).toBeNull();
  });

  it('searches contacts and opens the first match on Enter', async () => {
    const user = userEvent.setup();
    const fake = messenger();
    await screen.findByRole('button', { name: /^Bob/ });
    await user.type(screen.getByRole('searchbox', { name: 'Search contacts and messages' }), 'nobody');
    expect(screen.queryByRole('button', { name: /^Bob/ })).toBeNull();
    await user.clear(screen.getByRole('searchbox', { name: 'Search contacts and messages' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search contacts and messages' }), 'bo{Enter}');
    expect(await screen.findByRole('heading', { name: 'Bob' })).toBeTruthy();
    expect(fake.calls('chat:history')).toEqual([{ communityId: 'lab', peer: 'bob@lab.test' }]);
  });

  it('says so when the accounts cannot be loaded', async () => {
    messenger({
      'accounts:list': () => {
        throw new Error('accounts:list is not served here.');
      },
    });
    expect((await screen.findByRole('alert')).textContent).toBe('Burrow could not load your accounts: accounts:list is not served here.');
    expect(screen.getByRole('list', { name: 'Contacts' })).toBeTruthy();
  });
});

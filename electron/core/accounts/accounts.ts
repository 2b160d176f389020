/**
 * Every community's account, kept in step with the settings (a community added, changed or
 * removed), with the messaging requests of the contract served on top.
 */
import type { AvatarRequestChannel, FileRequestChannel, MessagingRequestChannel, SearchResultView } from '../../contract/contract.js';
import { HandlerError, type Handlers } from '../../contract/validate.js';
import type { CommunityConnectionDeps } from '../community-connection.js';
import { WinnerMemory } from '../connection/winners.js';
import type { EventHub } from '../events.js';
import type { PagePlace } from '../session/history.js';
import { resolveCommunities } from '../settings/resolve.js';
import { Account, type AccountDeps } from './account.js';
import { currentNetwork, watchNetwork } from './network-watch.js';
import { fileMemoryStore } from './remembered-file.js';
import { ServerQuirks } from './server-quirks.js';

export interface AccountsOptions extends CommunityConnectionDeps {
  dataDir: string;
  events: EventHub;
  /** Connect every configured account now and whenever one is added (the app); tests may say no. */
  autoConnect: boolean;
  backoff?: AccountDeps['backoff'];
  keepalive?: AccountDeps['keepalive'];
  reportFault?: AccountDeps['reportFault'];
  standingNotice?: AccountDeps['standingNotice'];
}

/** Search results when the request names no limit: more than a screen, few enough to answer at once. */
const defaultSearchResults = 50;

/** Which page of a conversation a history request asks for: at most one place is given (the contract checks). */
function pagePlace({ before, after, around }: { before?: string | undefined; after?: string | undefined; around?: string | undefined }): PagePlace {
  if (before !== undefined) return { before };
  if (after !== undefined) return { after };
  if (around !== undefined) return { around };
  return {};
}

export class Accounts {
  private readonly accounts = new Map<string, Account>();
  private readonly winners: WinnerMemory;
  private readonly quirks: ServerQuirks;
  private readonly stopWatching: () => void;
  private readonly stopListening: () => void;
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly options: AccountsOptions) {
    this.winners = new WinnerMemory(
      fileMemoryStore(options.dataDir, 'winners.json'),
      fileMemoryStore(options.dataDir, 'endpoints.json'),
      fileMemoryStore(options.dataDir, 'path-timings.json'),
    );
    this.quirks = new ServerQuirks(fileMemoryStore(options.dataDir, 'server-quirks.json'));
    this.stopListening = options.events.on('settings:changed', () => void this.sync());
    this.stopWatching = options.autoConnect ? watchNetwork(() => this.networkChanged()) : () => {};
    void this.sync();
  }

  list() {
    return [...this.accounts.values()].map((account) => account.state);
  }

  /** Waits for the settings to have been applied; for tests and shutdown. */
  settled(): Promise<void> {
    return this.syncing;
  }

  networkChanged(): void {
    for (const account of this.accounts.values()) account.networkChanged();
  }

  async close(): Promise<void> {
    this.stopListening();
    this.stopWatching();
    await this.syncing;
    await Promise.all([...this.accounts.values()].map((account) => account.close()));
    this.accounts.clear();
  }

  readonly handlers: Handlers<MessagingRequestChannel> = {
    'accounts:list': () => this.list(),
    'account:connect': ({ communityId }) => void this.account(communityId).connect(),
    'account:disconnect': ({ communityId }) => this.account(communityId).disconnect(),
    'presence:set': ({ communityId, presence }) => this.account(communityId).setPresence(presence),
    'roster:get': ({ communityId }) => this.account(communityId).roster(),
    'roster:add': ({ communityId, jid, name, group }) => this.account(communityId).addContact(jid, name, group),
    'roster:rename': ({ communityId, jid, name }) => this.account(communityId).renameContact(jid, name),
    'roster:remove': ({ communityId, jid }) => this.account(communityId).removeContact(jid),
    'subscription:answer': ({ communityId, jid, accept }) => this.account(communityId).answerSubscription(jid, accept),
    'chat:conversations': ({ communityId }) => this.account(communityId).conversations(),
    'chat:history': ({ communityId, peer, before, after, around, limit }) => this.account(communityId).history(peer, pagePlace({ before, after, around }), limit),
    'search:messages': ({ query, communityId, limit = defaultSearchResults }) => this.search(query, communityId, limit),
    'chat:send': ({ communityId, peer, body }) => this.account(communityId).send(peer, body),
    'chat:correct': ({ communityId, peer, id, body }) => this.account(communityId).correct(peer, id, body),
    'chat:retry': ({ communityId, peer, id }) => this.account(communityId).retry(peer, id),
    'chat:markRead': ({ communityId, peer }) => this.account(communityId).markRead(peer),
    'chat:setState': ({ communityId, peer, state }) => this.account(communityId).setChatState(peer, state),
    'messageRequests:get': ({ communityId }) => this.account(communityId).messageRequests(),
    'messageRequests:answer': ({ communityId, peer, accept }) => this.account(communityId).answerMessageRequest(peer, accept),
    'rooms:get': ({ communityId }) => this.account(communityId).rooms(),
    'rooms:browse': ({ communityId }) => this.account(communityId).browseRooms(),
    'room:join': ({ communityId, room, nick }) => this.account(communityId).joinRoom(room, nick),
    'room:create': ({ communityId, name, nick }) => this.account(communityId).createRoom(name, nick),
    'room:leave': ({ communityId, room }) => this.account(communityId).leaveRoom(room),
    'room:occupants': ({ communityId, room }) => this.account(communityId).roomOccupants(room),
    'room:invite': ({ communityId, room, jid, reason }) => this.account(communityId).inviteToRoom(room, jid, reason),
    'room:setSubject': ({ communityId, room, subject }) => this.account(communityId).setRoomSubject(room, subject),
  };

  readonly fileHandlers: Handlers<FileRequestChannel> = {
    'files:limit': ({ communityId }) => this.account(communityId).files.limit(),
    'files:begin': async ({ communityId, ...file }) => ({ transferId: await this.account(communityId).files.begin(file) }),
    'files:chunk': ({ communityId, transferId, offset, data }) => this.account(communityId).files.chunk(transferId, offset, data),
    'files:send': ({ communityId, transferId }) => this.account(communityId).sendFile(transferId),
    'files:cancel': ({ communityId, transferId }) => this.account(communityId).files.cancel(transferId),
    'files:fetch': ({ communityId, url, purpose }) => this.account(communityId).files.fetch(url, purpose),
    'files:read': ({ communityId, fetchId, offset }) => this.account(communityId).files.read(fetchId, offset),
  };

  readonly avatarHandlers: Handlers<AvatarRequestChannel> = {
    'avatars:get': ({ communityId, jid }) => this.account(communityId).avatars.get(jid),
    'avatars:setOwn': ({ communityId, data }) => this.account(communityId).avatars.setOwn(data),
  };

  /** Every account's newest matches (or one community's), merged newest first. */
  private async search(query: string, communityId: string | undefined, limit: number): Promise<{ results: SearchResultView[] }> {
    const accounts = communityId === undefined ? [...this.accounts.values()] : [this.account(communityId)];
    const results = (await Promise.all(accounts.map((account) => account.search(query, limit)))).flat();
    results.sort((a, b) => Date.parse(b.message.at) - Date.parse(a.message.at));
    return { results: results.slice(0, limit) };
  }

  private account(communityId: string): Account {
    const account = this.accounts.get(communityId);
    if (!account) throw new HandlerError('invalid-payload', `There is no community "${communityId}".`);
    return account;
  }

  /** One at a time, in order: each brings the accounts in line with the settings as they are then. */
  private sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.applySettings()).catch((error: unknown) => console.error('Burrow could not apply the settings to its accounts:', error));
    return this.syncing;
  }

  private async applySettings(): Promise<void> {
    const { settings, events, dataDir } = this.options;
    const communities = resolveCommunities(settings.store.read(), settings.policy).map(({ community }) => community);
    const present = new Set(communities.map((community) => community.id));
    for (const [id, account] of this.accounts) {
      if (present.has(id)) continue;
      this.accounts.delete(id);
      await account.close();
    }
    for (const community of communities) {
      const existing = this.accounts.get(community.id);
      if (existing) {
        if (this.options.autoConnect) existing.settingsChanged(community.displayName);
        continue;
      }
      const account = new Account(
        {
          communityId: community.id,
          dataDir,
          connection: this.options,
          events,
          winners: this.winners,
          quirks: this.quirks,
          networkFingerprint: currentNetwork,
          ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
          ...(this.options.keepalive ? { keepalive: this.options.keepalive } : {}),
          ...(this.options.reportFault ? { reportFault: this.options.reportFault } : {}),
          ...(this.options.standingNotice ? { standingNotice: this.options.standingNotice } : {}),
        },
        community.displayName,
      );
      this.accounts.set(community.id, account);
      if (this.options.autoConnect) void account.connect();
    }
  }
}

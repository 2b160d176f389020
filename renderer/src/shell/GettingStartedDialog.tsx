import { Fragment } from 'react';
import { communityLabels, communityTabLabels, methodLabels, passwordLabels, sectionLabels } from '../preferences/labels.js';
import { ModalDialog } from './ModalDialog.js';

/** What each connection method means, in a line a newcomer can act on. */
const methodMeanings = [
  [methodLabels.automatic, 'tries every way at once and keeps the one that works. Start here.'],
  [methodLabels['direct-tcp'], 'straight to the chat server; through the web ports only if that fails.'],
  [methodLabels['direct-http'], 'only through the web ports (80 and 443), for networks that allow nothing else.'],
  [methodLabels['system-proxy'], 'through the proxy your computer is set up to use.'],
  [methodLabels.proxy, 'through a proxy you name: HTTP, HTTPS, SOCKS4 or SOCKS5.'],
] as const;

/** Help › Getting started: how a newcomer gets from nothing to chatting. */
export function GettingStartedDialog({ onClose }: { onClose: () => void }) {
  return (
    <ModalDialog title="Getting started" className="getting-started" onClose={onClose}>
      <p>Burrow connects you to a server community: a chat server run by your company, school or friends.</p>

      <h3>1. Add your server community</h3>
      <p>
        Open File › Preferences › {sectionLabels.communities} and choose Add community. Fill in {communityLabels.hostServer} (such as
        chat.example.com), {communityLabels.username} and {passwordLabels.account}, as given by whoever runs the server. On the very first start, the
        welcome form asks for the same three.
      </p>

      <h3>2. Choose how to connect</h3>
      <p>On the community’s {communityTabLabels.connection} tab, or for every community in {sectionLabels.global}:</p>
      <dl className="facts">
        {methodMeanings.map(([label, meaning]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{meaning}</dd>
          </Fragment>
        ))}
      </dl>

      <h3>3. Check it</h3>
      <p>Test connection, below the community’s settings, tries every path and shows what worked and why the others did not.</p>

      <h3>No server of your own?</h3>
      <p>
        From Burrow’s source folder, <code>npm run demo</code> starts a test server with two Burrows, alice’s and bob’s, to chat with each other. It
        needs Linux and root.
      </p>
    </ModalDialog>
  );
}

import type { AccountView, RosterView } from '../../../electron/contract/contract.js';
import { perCommunity } from './messagingState.js';

/** People asking to see the user's presence, each with Accept and Deny. */
export function ContactRequests({
  accounts,
  rosters,
  onAnswer,
}: {
  accounts: readonly AccountView[];
  rosters: Readonly<Record<string, RosterView>>;
  onAnswer: (communityId: string, jid: string, accept: boolean) => void;
}) {
  const requests = perCommunity(accounts, (communityId) => rosters[communityId]?.requests ?? []);
  if (requests.length === 0) return null;
  return (
    <section className="contact-requests" aria-labelledby="contact-requests-title">
      <h2 id="contact-requests-title">Contact requests</h2>
      <ul aria-label="Contact requests">
        {requests.map(({ communityId, item: jid, community }) => (
          <li key={`${communityId} ${jid}`} className="contact-request">
            <span>
              <strong>{jid}</strong> wants to see your status{community && ` on ${community}`}.
            </span>
            <span className="contact-request-buttons">
              <button type="button" className="primary" aria-label={`Accept ${jid}`} onClick={() => onAnswer(communityId, jid, true)}>
                Accept
              </button>
              <button type="button" aria-label={`Deny ${jid}`} onClick={() => onAnswer(communityId, jid, false)}>
                Deny
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

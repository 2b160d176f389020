/** The community as the account tests have it, in place of the settings: alice on lab.test, her password saved. */
export async function communityConnection() {
  return {
    community: {},
    request: { address: 'chat.lab.test', domain: 'lab.test', method: 'automatic', allowUnencrypted: false },
    account: { username: 'alice', password: 'secret' },
  };
}

import { runOrThrow } from './run.js';
import type { FirewallRule } from './scenarios.js';
import { frontAddress, link, ports } from './topology.js';

export interface FirewallState {
  rules: readonly FirewallRule[];
  transparentProxy: boolean;
  /** S12's cuts: these server ports black-holed in both directions, established connections included. */
  cutPorts: readonly number[];
}

export const directPorts = [ports.xmpp, ports.xmppDirectTls] as const;
const serverPorts = [ports.xmpp, ports.xmppDirectTls, ports.http, ports.https, ports.alternateHttps];
const synCounterComment = 'burrow-server-syns';

const targets = { accept: '-j ACCEPT', drop: '-j DROP', reject: '-j REJECT --reject-with tcp-reset' } as const;

function ruleLine(rule: FirewallRule): string {
  return [
    '-A BURROW_FIREWALL',
    rule.host ? `-d ${frontAddress(rule.host)}/32` : '',
    rule.ports || rule.action === 'reject' ? '-p tcp' : '',
    rule.ports ? `-m multiport --dports ${rule.ports.join(',')}` : '',
    targets[rule.action],
  ]
    .filter(Boolean)
    .join(' ');
}

/** iptables-restore input for world: every rule only sees traffic on the link from corp. */
export function renderFirewall(state: FirewallState): string {
  const chat = `${frontAddress('chat')}/32`;
  const w = link.worldInterface;
  const filter = [
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':BURROW_FIREWALL - [0:0]',
    // Counts, without deciding anything, every connection opened towards the XMPP server (storm checks).
    `-A INPUT -i ${w} -d ${chat} -p tcp --syn -m multiport --dports ${serverPorts.join(',')} -m comment --comment ${synCounterComment}`,
    ...(state.cutPorts.length > 0
      ? [
          `-A INPUT -i ${w} -d ${chat} -p tcp -m multiport --dports ${state.cutPorts.join(',')} -j DROP`,
          `-A OUTPUT -o ${w} -s ${chat} -p tcp -m multiport --sports ${state.cutPorts.join(',')} -j DROP`,
        ]
      : []),
    // The lab's DNS stays reachable in every scenario, like a network's own resolver.
    `-A INPUT -i ${w} -d ${link.worldAddress}/32 -p udp --dport 53 -j ACCEPT`,
    `-A INPUT -i ${w} -j BURROW_FIREWALL`,
    ...state.rules.map(ruleLine),
    'COMMIT',
  ];
  const nat = [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ...(state.transparentProxy
      ? [`-A PREROUTING -i ${w} -d ${chat} -p tcp --dport ${ports.http} -j REDIRECT --to-ports ${ports.transparentProxy}`]
      : []),
    'COMMIT',
  ];
  return [...filter, ...nat, ''].join('\n');
}

/** Replaces world's filter and nat tables at once. */
export async function applyFirewall(namespace: string, state: FirewallState): Promise<void> {
  await runOrThrow('ip', ['netns', 'exec', namespace, 'iptables-restore'], 10_000, renderFirewall(state));
}

/** Aborts the server side of every established connection from corp on these server ports. */
export async function killConnections(namespace: string, serverPorts: readonly number[]): Promise<void> {
  const filter = `dst ${link.corpAddress} and ( ${serverPorts.map((port) => `sport = :${port}`).join(' or ')} )`;
  await runOrThrow('ip', ['netns', 'exec', namespace, 'ss', '-K', '-tn', 'state', 'established', ...filter.split(' ')]);
}

/** How many connections corp has opened towards the XMPP server's ports since the firewall was last applied. */
export async function serverSynCount(namespace: string): Promise<number> {
  const listing = await runOrThrow('ip', ['netns', 'exec', namespace, 'iptables', '-L', 'INPUT', '-v', '-n', '-x']);
  const line = listing.split('\n').find((each) => each.includes(synCounterComment));
  if (!line) throw new Error(`world's INPUT chain has no ${synCounterComment} rule`);
  return Number(line.trim().split(/\s+/)[0]);
}

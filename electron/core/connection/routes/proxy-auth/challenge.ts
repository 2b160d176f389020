/**
 * The challenges of `Proxy-Authenticate` / `WWW-Authenticate` (RFC 9110 §11.6.1): one header may
 * hold several, and a proxy may send several headers. A scheme is followed by a token68 (NTLM's and
 * Negotiate's base64) or by comma-separated parameters, whose quoted values may hold commas.
 */
export interface Challenge {
  /** Lower case: "basic", "digest", "ntlm", "negotiate". */
  scheme: string;
  params: Record<string, string>;
  token68?: string;
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
const parameter = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]*=[ \t]*("(?:[^"\\]|\\.)*"|[!#$%&'*+\-.^_`|~0-9A-Za-z]+)/;
const token68 = /^[A-Za-z0-9\-._~+/]+=*(?=[ \t]*(?:,|$))/;

export function parseChallenges(headerValues: readonly string[]): Challenge[] {
  return headerValues.flatMap(parseHeader);
}

function parseHeader(value: string): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = value;
  const skip = (pattern: RegExp) => (rest = rest.replace(pattern, ''));
  for (skip(/^[\s,]+/); rest.length > 0; skip(/^[\s,]+/)) {
    const current = challenges.at(-1);
    const param = parameter.exec(rest);
    if (param && current) {
      const [whole, name = '', raw = ''] = param;
      current.params[name.toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
      rest = rest.slice(whole.length);
      continue;
    }
    const scheme = token.exec(rest)?.[0];
    if (!scheme) {
      rest = rest.slice(1); // not HTTP: skip the character rather than give up on the rest
      continue;
    }
    rest = rest.slice(scheme.length);
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    const afterSpace = rest.replace(/^[ \t]+/, '');
    const blob = afterSpace !== rest && !parameter.test(afterSpace) ? token68.exec(afterSpace)?.[0] : undefined;
    if (blob) {
      challenge.token68 = blob;
      rest = afterSpace.slice(blob.length);
    }
    challenges.push(challenge);
  }
  return challenges;
}

/** Basic (RFC 7617): the user name and password, merely encoded; sent only to a proxy that offered it. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

import { createServer, type Server } from 'node:http';

export const pacPath = '/proxy.pac';

export function pacScript(proxyHostPort: string): string {
  return `function FindProxyForURL(url, host) {\n  return "PROXY ${proxyHostPort}; DIRECT";\n}\n`;
}

/** Serves the PAC file over plain HTTP, as a network's WPAD or configuration server would. */
export function startPacServer(host: string, port: number, script: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === pacPath && (request.method === 'GET' || request.method === 'HEAD')) {
      response.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig', 'content-length': Buffer.byteLength(script) });
      response.end(request.method === 'GET' ? script : undefined);
      return;
    }
    response.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

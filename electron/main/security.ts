import { app, session, shell } from 'electron';
import { isRendererUrl } from './paths.js';

/**
 * Burrow's pages never navigate or get redirected away from Burrow, never open windows, and get
 * one permission only: writing to the clipboard ("Copy report"). Notifications come from the main
 * process, not the page.
 */
export function lockDownWebContents(): void {
  const allowed = (permission: string, url: string | undefined) => permission === 'clipboard-sanitized-write' && url !== undefined && isRendererUrl(url);
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => callback(allowed(permission, contents.getURL())));
  session.defaultSession.setPermissionCheckHandler((contents, permission) => allowed(permission, contents?.getURL()));
  app.on('web-contents-created', (_event, contents) => {
    const stayOnBurrowPages = (event: { preventDefault(): void }, url: string) => {
      if (!isRendererUrl(url)) event.preventDefault();
    };
    contents.on('will-navigate', (event) => stayOnBurrowPages(event, event.url));
    contents.on('will-redirect', (event) => stayOnBurrowPages(event, event.url));
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://') || url.startsWith('http://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

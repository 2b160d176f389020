import { app, session, shell } from 'electron';
import { isRendererUrl } from './paths.js';

/**
 * Burrow's pages never navigate or get redirected away from Burrow, never open windows, and
 * never get a permission: notifications come from the main process, not the page.
 */
export function lockDownWebContents(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
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

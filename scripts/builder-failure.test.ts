import { describe, expect, it } from 'vitest';
import { explainBuilderFailure } from './builder-failure.mjs';

/** electron-builder 26's output, as `npm run dist` gave it on a machine without internet access. */
const start = [
  '  • electron-builder  version=26.17.0 os=6.18.44',
  '  • loaded configuration  file=/work/burrow/electron-builder.yml',
  '  • packaging       platform=linux arch=x64 electron=40.10.2 appOutDir=release/linux-unpacked',
];
const stack = ['    at ClientRequest.<anonymous> (/work/burrow/node_modules/got/dist/source/core/index.js:970:111)', '    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)'];
const noElectronBinary = [...start, '  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build stackTrace=RequestError: getaddrinfo ENOTFOUND github.com', ...stack].join('\n');
const noAppImageTools = [
  ...start,
  '  • using custom unpacked Electron distribution  electronDist=/tmp/electron',
  '  • executing @electron/fuses  electronPath=release/linux-unpacked/burrow',
  '  • building        target=AppImage arch=x64 file=release/Burrow-0.1.0.AppImage',
  '  ⨯ failed to build AppImage  error=getaddrinfo ENOTFOUND github.com',
  '  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build stackTrace=RequestError: getaddrinfo ENOTFOUND github.com',
  ...stack,
].join('\n');

describe('npm run dist when electron-builder cannot download', () => {
  it("names Electron's zip for this platform and how to hand it over, in one line", () => {
    const explained = explainBuilderFailure(noElectronBinary);
    expect(explained).toBe(
      'npm run dist: Electron\'s binary (electron-v40.10.2-linux-x64.zip) is not in the cache and cannot be downloaded (getaddrinfo ENOTFOUND github.com): get that zip elsewhere and pass -- -c.electronDist=/path/to/electron-v40.10.2-linux-x64.zip (see README, "Building installers").',
    );
  });

  it('tells a failed download of the tools for an installer apart, and points to the unpacked build', () => {
    const explained = explainBuilderFailure(noAppImageTools);
    expect(explained).toMatch(/^npm run dist: electron-builder could not download its tools for AppImage \(getaddrinfo ENOTFOUND github\.com\): build the unpacked app with npm run dist:dir/);
    expect(explained).not.toContain('\n');
  });

  it('leaves any other failure as electron-builder told it', () => {
    expect(explainBuilderFailure([...start, '  ⨯ Cannot find module "missing"  failedTask=build stackTrace=Error: Cannot find module', ...stack].join('\n'))).toBeUndefined();
    expect(explainBuilderFailure(start.join('\n'))).toBeUndefined();
  });
});

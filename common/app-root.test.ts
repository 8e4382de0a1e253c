import { describe, expect, it } from 'vitest';
import { APP_ROOT_URL, appFileUrl, appRootFor } from './app-root.js';

describe('appRootFor', () => {
  it('finds the app root from the sources, the compiled code and the shell bundle', () => {
    expect(appRootFor('file:///home/ops/govhall/common/app-root.ts').href).toBe('file:///home/ops/govhall/');
    expect(appRootFor('file:///opt/govhall-hub/node_modules/govhall/dist/common/app-root.js').href).toBe(
      'file:///opt/govhall-hub/node_modules/govhall/',
    );
    expect(appRootFor('file:///opt/govhall/resources/app.asar/dist/shell/main.cjs').href).toBe(
      'file:///opt/govhall/resources/app.asar/',
    );
    // The last dist/ is the build's, whatever the folders above it are called.
    expect(appRootFor('file:///srv/dist/govhall/dist/common/app-root.js').href).toBe('file:///srv/dist/govhall/');
    expect(appRootFor('file:///C:/Program%20Files/govhall/resources/app.asar/dist/shell/main.cjs').href).toBe(
      'file:///C:/Program%20Files/govhall/resources/app.asar/',
    );
  });

  it('refuses compiled code outside dist/ with a code and what to do', () => {
    expect(() => appRootFor('file:///tmp/app-root.js')).toThrow(/^APP_LAYOUT: .*npm run build/);
  });

  it('in this checkout, is the folder of package.json', () => {
    expect(APP_ROOT_URL.href).toBe(new URL('../', import.meta.url).href);
    expect(appFileUrl('dist/renderer/').href).toBe(new URL('../dist/renderer/', import.meta.url).href);
  });
});

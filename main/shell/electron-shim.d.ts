// The few Electron APIs the preload uses, declared until the shell work installs `electron` with
// its own types; delete this file then.
declare module 'electron' {
  export const contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  export const ipcRenderer: {
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
    removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  };
}

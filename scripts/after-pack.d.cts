type FuseSettings = Record<string, boolean>;
interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch?: number;
  packager: { executableName: string; appInfo: { productFilename: string } };
}
declare function afterPack(context: PackContext): Promise<void>;
declare namespace afterPack {
  export const REQUIRED_FUSES: Readonly<FuseSettings>;
  export function fuseConfig(
    FuseV1Options: Record<string, string | number>,
    FuseVersion: { V1: string },
    settings: Record<string, unknown> | null,
  ): Record<string, unknown>;
  export function shellFuses(file?: string): Record<string, unknown> | null;
  export function electronBinary(context: PackContext): string;
}
export = afterPack;

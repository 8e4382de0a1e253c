export interface Layer {
  folder: string;
  mayImport: string[];
  mayImportTypes?: string[];
  onlyForTests?: boolean;
  testsMayNotImport?: string[];
}
export interface PackageRule {
  packages: string[];
  onlyIn?: string[];
  notIn?: string[];
  except?: string[];
  reason: string;
}
export interface FoundImport {
  spec: string;
  line: number;
  typeOnly: boolean;
}
export const LAYERS: Layer[];
export const PACKAGE_RULES: PackageRule[];
export function layerOf(path: string): { layer: Layer; area: string } | null;
export function judge(
  from: string,
  spec: string,
  target: string | null,
  typeOnly: boolean,
): { code: string; reason: string } | null;
export function importsOf(text: string): FoundImport[];
export function checkTree(root: string): { problems: string[]; files: number };
